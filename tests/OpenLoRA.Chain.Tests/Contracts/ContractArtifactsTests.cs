using System.Diagnostics;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Contracts;

namespace OpenLoRA.Chain.Tests.Contracts;

public sealed class ContractArtifactsTests
{
    private const string RegenerateHint =
        "Regenerate with `node src/OpenLoRA.Chain/Contracts/compile.mjs` at the repository root (after `npm ci`), " +
        "commit src/OpenLoRA.Chain/Contracts/artifacts/ and rebuild.";

    [Fact]
    public async Task CompileCheck_CommittedArtifacts_MatchAFreshCompile()
    {
        // Recompiles the .sol sources with the pinned solc and compares the output byte for byte with the committed
        // artifacts, so an edited contract without regenerated artifacts fails here instead of on a chain.
        var root = RepositoryRoot.Find();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine("src", "OpenLoRA.Chain", "Contracts", "compile.mjs"));
        start.ArgumentList.Add("--check");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"Contract artifacts are stale or failed to compile. {RegenerateHint}{Environment.NewLine}{await stderr}{await stdout}");
    }

    [Fact]
    public void EmbeddedArtifacts_EqualTheCommittedFiles()
    {
        var directory = Path.Combine(RepositoryRoot.Find(), "src", "OpenLoRA.Chain", "Contracts", "artifacts");
        foreach (var name in ContractArtifacts.Names)
        {
            var onDisk = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, name + ".json"))).RootElement;
            var embedded = ContractArtifacts.Get(name);
            Assert.True(onDisk.GetProperty("bytecode").GetString() == embedded.Bytecode, $"{name}: the embedded artifact is older than the file. {RegenerateHint}");
            Assert.Equal(onDisk.GetProperty("sourceHash").GetString(), embedded.SourceHash);
            Assert.StartsWith("0x60", embedded.Bytecode, StringComparison.Ordinal);
        }
    }
}
