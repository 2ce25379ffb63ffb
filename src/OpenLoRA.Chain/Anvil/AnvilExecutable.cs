using System.Runtime.InteropServices;

namespace OpenLoRA.Chain.Anvil;

internal static class AnvilExecutable
{
    /// <summary>
    /// Prefers the platform package's native binary over node_modules/.bin/anvil: the .bin entry is a node
    /// wrapper that spawns the binary as a child, and signalling the wrapper is one hop removed from anvil.
    /// </summary>
    public static string Resolve(AnvilOptions options)
    {
        if (!string.IsNullOrEmpty(options.ExecutablePath))
        {
            return File.Exists(options.ExecutablePath)
                ? options.ExecutablePath
                : throw new AnvilNotInstalledException($"anvil not found at '{options.ExecutablePath}'.", options.ExecutablePath);
        }

        var root = options.RepositoryRoot ?? RepositoryRoot.Find();
        var nodeModules = Path.Combine(root, "node_modules");
        var windows = OperatingSystem.IsWindows();
        var candidates = new List<string>();
        if (PlatformPackage() is { } package)
        {
            candidates.Add(Path.Combine(nodeModules, "@foundry-rs", package, "bin", windows ? "anvil.exe" : "anvil"));
        }

        candidates.Add(Path.Combine(nodeModules, ".bin", windows ? "anvil.cmd" : "anvil"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new AnvilNotInstalledException(
                $"anvil is not installed under '{nodeModules}'. Run `npm ci` in '{root}' (package.json pins @foundry-rs/anvil).", nodeModules);
    }

    private static string? PlatformPackage()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "win32" : null;
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            _ => null,
        };
        return os is null || arch is null ? null : $"anvil-{os}-{arch}";
    }
}
