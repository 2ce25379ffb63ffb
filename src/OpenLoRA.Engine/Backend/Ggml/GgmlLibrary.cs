using System.Runtime.InteropServices;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// Binds <see cref="GgmlNative"/> to the ggml libraries LLamaSharp already loaded. LLamaSharp picks one CPU flavour
/// folder (avx512 / avx2 / avx / noavx, or the CUDA build); loading another flavour's copy would collide on soname
/// (GGML-NOTES.md), so the folder is read from the process's own mappings once libllama is in.
/// </summary>
internal static class GgmlLibrary
{
    private static readonly Lock Gate = new();
    private static string? _directory;
    private static string? _failure;

    /// <summary>The folder of the loaded libggml-base; throws <see cref="BackendException"/> when it cannot be found.</summary>
    public static string EnsureBound()
    {
        lock (Gate)
        {
            if (_directory is not null)
            {
                return _directory;
            }

            if (_failure is not null)
            {
                throw new BackendException(_failure);
            }

            LlamaRuntime.EnsureInitialized();
            var directory = FindLoadedDirectory();
            if (directory is null)
            {
                _failure = "the ggml backend needs the libggml-base that LLamaSharp loaded, and none is mapped in this process (Linux only).";
                throw new BackendException(_failure);
            }

            NativeLibrary.SetDllImportResolver(typeof(GgmlLibrary).Assembly, (name, _, _) => Resolve(directory, name));
            _directory = directory;
            return directory;
        }
    }

    private static nint Resolve(string directory, string name)
    {
        var file = name switch
        {
            GgmlNative.BaseLibrary => "libggml-base.so",
            GgmlNative.CpuLibrary => "libggml-cpu.so",
            GgmlNative.RegistryLibrary => "libggml.so",
            _ => null,
        };
        return file is null ? 0 : NativeLibrary.Load(Path.Combine(directory, file));
    }

    private static string? FindLoadedDirectory()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            var at = line.IndexOf('/');
            if (at < 0)
            {
                continue;
            }

            var path = line[at..].Trim();
            if (Path.GetFileName(path) == "libggml-base.so" && File.Exists(path))
            {
                return Path.GetDirectoryName(path);
            }
        }

        return null;
    }
}
