using OpenLoRA.Engine.Backend;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Backend.Ggml.Quantized;

/// <summary>
/// The small set (256-wide llama, f16) in a folder of its own and its copies made by llama.cpp's quantizer, each made
/// once per test run when first asked for.
/// </summary>
public sealed class QuantizedModels : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-quant-").FullName;
    private TestModelSet? _small;

    public TestModelSet Small
    {
        get
        {
            lock (_gate)
            {
                return _small ??= TestModelGenerator.EnsureSmallModels(_root);
            }
        }
    }

    /// <summary>The small model quantized to <paramref name="type"/> ("Q4_K_M", …).</summary>
    public string SmallIn(string type)
    {
        var source = Small.BaseModelPath;
        lock (_gate)
        {
            return ModelQuantizer.EnsureQuantized(source, type);
        }
    }

    /// <summary>The tiny model (64-wide) quantized to <paramref name="type"/>.</summary>
    public string TinyIn(string type)
    {
        lock (_gate)
        {
            return ModelQuantizer.EnsureQuantized(TestModelGenerator.EnsureTinyModels(_root).BaseModelPath, type);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
