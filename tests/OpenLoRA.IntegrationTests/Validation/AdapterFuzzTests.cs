using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;
using Xunit.Abstractions;

namespace OpenLoRA.IntegrationTests.Validation;

/// <summary>
/// The validator is the only thing between an uploaded file and llama.cpp, which kills the whole server on some
/// malformed adapters (LLAMA-NOTES.md). These tests load, in a child process, every fuzzed file the validator
/// lets through and require that none crashes it or yields non-finite logits.
/// </summary>
public sealed class AdapterFuzzTests(ValidationFixture fixture, ITestOutputHelper output) : IClassFixture<ValidationFixture>
{
    private const int Seed = 20240801;
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] FuzzedAdapters = ["tiny-attn-r4", "tiny-mlp-r8", "tiny-all-r2"];

    [Fact]
    public async Task Validate_FuzzedMutantsItAccepts_LoadInLlamaCppWithFiniteLogits()
    {
        var folder = fixture.Folder("mutants");
        var mutants = FuzzedAdapters
            .SelectMany(name => AdapterMutants.Of(fixture.Set.AdapterPaths.Single(p => p.EndsWith($"{name}.gguf", StringComparison.Ordinal)), Seed))
            .ToList();
        var accepted = new Dictionary<string, Mutant>(StringComparer.Ordinal);
        foreach (var mutant in mutants)
        {
            var path = Path.Combine(folder, $"{mutant.Name}.gguf");
            await File.WriteAllBytesAsync(path, mutant.Bytes);
            if (AdapterValidator.Validate(path, fixture.Shapes).IsValid)
            {
                accepted.Add(path, mutant);
            }
        }

        var controls = fixture.Set.AdapterPaths;
        var outcomes = await new ProbeRunner(fixture.Set.BaseModelPath, ProcessTimeout).RunAsync([.. controls, .. accepted.Keys]);

        output.WriteLine($"{mutants.Count} mutants, {accepted.Count} accepted by the validator; llama.cpp: "
            + string.Join(", ", outcomes.Skip(controls.Count).GroupBy(o => o.Result).Select(g => $"{g.Count()} {g.Key}")));
        Assert.True(mutants.Count >= 300, $"only {mutants.Count} mutants");
        Assert.InRange(accepted.Count, 1, mutants.Count - 1);
        Assert.Equal(controls.Count + accepted.Count, outcomes.Count);
        Assert.All(outcomes.Take(controls.Count), o => Assert.Equal(ProbeOutcome.Loaded, o.Result));
        var failures = outcomes.Skip(controls.Count)
            .Where(o => o.Result is not (ProbeOutcome.Loaded or ProbeOutcome.Refused))
            .Select(o => $"{o.Result} (exit {o.ExitCode}): {accepted[o.File].Description}")
            .ToList();
        Assert.True(failures.Count == 0, $"validator accepted files that llama.cpp cannot survive:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void Validate_HandMadeCrashClassFiles_AreAllRejectedWithTheirReason()
    {
        var files = BadAdapterCatalog.WriteAll(fixture.Folder("bad"));

        Assert.NotEmpty(files);
        Assert.All(files, bad =>
        {
            var result = AdapterValidator.Validate(bad.Path, fixture.Shapes);
            Assert.False(result.IsValid, $"{bad.Name} was accepted");
            Assert.Contains(bad.ExpectedReason, result.Reason);
        });
    }

    // The harness must notice a dead process, or the fuzz test above would pass without checking anything. A zero
    // second dimension dies of SIGFPE inside llama.cpp's loader (LLAMA-NOTES.md).
    [Fact]
    public async Task RunAsync_FileThatKillsTheProcess_IsReportedAndLaterFilesStillRun()
    {
        var killer = BadAdapterCatalog.Write("zero-second-dimension", fixture.Folder("killer")).Path;
        var good = fixture.Set.AdapterPaths[0];

        var outcomes = await new ProbeRunner(fixture.Set.BaseModelPath, ProcessTimeout).RunAsync([good, killer, good]);

        Assert.Equal([good, killer, good], outcomes.Select(o => o.File));
        Assert.Equal(ProbeOutcome.Loaded, outcomes[0].Result);
        Assert.Equal(ProbeOutcome.Crashed, outcomes[1].Result);
        Assert.NotEqual(0, outcomes[1].ExitCode);
        Assert.Equal(ProbeOutcome.Loaded, outcomes[2].Result);
    }
}
