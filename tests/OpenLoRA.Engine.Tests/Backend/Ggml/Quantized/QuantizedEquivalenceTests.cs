using OpenLoRA.Engine.Backend;
using OpenLoRA.Gguf.TestModels;
using Xunit.Abstractions;

namespace OpenLoRA.Engine.Tests.Backend.Ggml.Quantized;

/// <summary>
/// The ggml backend on llama.cpp's quantized copies of a model, against the LLamaSharp backend on the very same file:
/// teacher-forced, sequences on different adapters sharing steps, as <see cref="GgmlEquivalenceTests"/> compares the
/// float models. Both read the same quantized blocks through the same ggml kernels (repacked ones where llama.cpp
/// repacks), quantizing activations to Q8_0 / Q8_K the same way, so the quantized weights add little beyond the float
/// models' differences (F16 KV rounding, summation order, LoRA scaling) once ggml's 8-bit activation rounding has
/// amplified them (<see cref="QuantizedComparison"/>). Tolerances are about 1.5 times the largest difference measured
/// per type, which is of the size of llama.cpp's own difference between batched and lone runs of the same file;
/// measurements: docs/GGML-BACKEND.md "Quantized weights". The F16 row is the same model unquantized.
/// </summary>
[Collection(QuantizedCollection.Name)]
public sealed class QuantizedEquivalenceTests(QuantizedModels models, ITestOutputHelper output)
{
    [Theory]
    [InlineData("F16", 0.05f)]
    [InlineData("Q8_0", 0.45f)]
    [InlineData("Q4_0", 0.5f)]
    [InlineData("Q4_K_M", 0.6f)]
    [InlineData("Q5_K_M", 0.6f)]
    [InlineData("Q6_K", 0.8f)]
    [InlineData("Q4_K", 0.5f)]
    [InlineData("Q5_K", 0.6f)]
    public void MixedAdapterBatch_OnQuantizedSmallModel_MatchesEachSequenceRunAloneOnLlamaSharp(string type, float tolerance)
    {
        var path = type == "F16" ? models.Small.BaseModelPath : models.SmallIn(type);
        using var pair = new BackendComparison(path, 256, 8, 64, 8);
        var targets = new List<string?> { null };
        targets.AddRange(models.Small.AdapterPaths);

        QuantizedComparison.Compare(pair, targets, generate: 24, tolerance, 0.9, output);
    }

    /// <summary>
    /// The 134M bench model in Q4_K_M, with rank 8 and rank 16 adapters in rank-16 slots. Twelve layers amplify more:
    /// largest difference 0.59, greedy agreement 86 of 96; llama.cpp batched against itself alone on this file: 0.47 and
    /// 88 of 96 (docs/GGML-BACKEND.md).
    /// </summary>
    [Fact]
    public void MixedAdapterBatch_OnQ4KMBenchModel_MatchesEachSequenceRunAloneOnLlamaSharp()
    {
        var directory = Environment.GetEnvironmentVariable("OPENLORA_MODELS") ?? Path.Combine(Path.GetTempPath(), "openlora-bench-models");
        var bench = TestModelGenerator.EnsureBenchModels(directory);
        var path = ModelQuantizer.EnsureQuantized(bench.BaseModelPath, "Q4_K_M");
        using var pair = new BackendComparison(path, 128, 8, 128, 16);
        var targets = new List<string?> { null };
        targets.AddRange(bench.AdapterPaths.Where(p => p.Contains("-r8-", StringComparison.Ordinal)).Take(3));
        targets.AddRange(bench.AdapterPaths.Where(p => p.Contains("-r16-", StringComparison.Ordinal)).Take(4));

        QuantizedComparison.Compare(pair, targets, generate: 12, 0.8f, 0.85, output);
    }
}
