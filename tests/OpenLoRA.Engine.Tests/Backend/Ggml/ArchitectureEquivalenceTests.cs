using OpenLoRA.Engine.Backend;
using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.TestModels;
using Xunit.Abstractions;

namespace OpenLoRA.Engine.Tests.Backend.Ggml;

/// <summary>
/// Each architecture family on the ggml backend against llama.cpp (the LLamaSharp backend) on the same generated
/// file, teacher-forced logit by logit: eight sequences on the base model and two adapters in shared steps (prefill
/// of a whole prompt beside decodes), prompts longer than the 32-token sliding window of the gemma models and
/// decodes past it, and a second pass that feeds each prompt in 13-token chunks, so chunks start inside and beyond
/// the window. Tolerances and the largest differences measured are in docs/GGML-BACKEND.md "Architectures".
/// </summary>
public sealed class ArchitectureEquivalenceTests(ITestOutputHelper output, ArchitectureModelsFixture models) : IClassFixture<ArchitectureModelsFixture>
{
    private const int ChunkTokens = 13;

    /// <summary>The bench gemma2's tolerance (docs/GGML-BACKEND.md "Architectures").</summary>
    private const float BenchTolerance = 0.05f;

    private static readonly string[] Prompts =
    [
        "The quick brown fox jumps over the lazy dog while the cat sleeps by the warm fire",
        "Once upon a time in a land far away, there lived a king who loved numbers and bread",
        "def main():\n    for i in range(10):\n        print(i * i, 'squared')\n    return 0",
        "Attribution matters because every contributor deserves a share of what the model earns",
        "Grüße aus Köln — 日本語も少し話します, und noch ein paar Wörter mehr",
        "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17",
    ];

    /// <summary>
    /// Largest |ggml - llama.cpp| logit allowed per family (logits have a std of about 3), about 1.5 times the largest
    /// measured (docs/GGML-BACKEND.md "Architectures"). The base model alone stays within 0.01 everywhere; the rest is
    /// the rank-8 F16 adapter on all seven projections, which llama.cpp multiplies in F16 (activations rounded to F16
    /// before A and before B) where the ggml backend's LoRA kernel stays in F32.
    /// </summary>
    public static TheoryData<string, float> Families() => new()
    {
        { "llama3", 0.06f },
        { "mistral", 0.06f },
        { "llama-linear", 0.09f },
        { "qwen2", 0.1f },
        { "qwen3", 0.05f },
        { "gemma2", 0.015f },
        { "gemma3", 0.02f },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void MixedAdapterSteps_OnSmallModel_MatchLlamaCppTeacherForced(string family, float tolerance)
    {
        var set = models.Small(family);
        using var pair = new BackendComparison(set.BaseModelPath, 256, 8, 256, 8);
        var worst = Compare(pair, [null, .. set.AdapterPaths], generate: 24, tolerance, window: 32);
        output.WriteLine($"{family}: largest difference {worst} (tolerance {tolerance})");
    }

    /// <summary>
    /// The bench-size gemma2 (768 wide, 12 layers, 256-token window, soft-caps 50 and 30 as released) with prompts of
    /// 300 tokens, so the sliding layers drop cells in prefill and in every decode.
    /// </summary>
    [Fact]
    public void MixedAdapterSteps_OnBenchGemma2_MatchLlamaCppTeacherForced()
    {
        var directory = Environment.GetEnvironmentVariable("OPENLORA_MODELS") ?? Path.Combine(Path.GetTempPath(), "openlora-bench-models");
        var set = TestModelGenerator.EnsureArchitectureModels(directory, ArchitectureModelSize.Bench, ["gemma2"])[0];
        using var pair = new BackendComparison(set.BaseModelPath, 512, 8, 384, 8);
        var worst = Compare(pair, [null, .. set.AdapterPaths], generate: 12, BenchTolerance, window: 256, promptTokens: 300);
        output.WriteLine($"gemma2 bench: largest difference {worst} (tolerance {BenchTolerance})");
    }

    /// <summary>
    /// The PEFT twin of each family's rank-8 adapter (Hugging Face names and row order), converted against the base
    /// model, gives the greedy tokens of the GGUF adapter on llama.cpp and on the ggml backend; its logits differ from
    /// the base model's, so the adapter is in effect.
    /// </summary>
    [Theory]
    [InlineData("llama3")]
    [InlineData("mistral")]
    [InlineData("llama-linear")]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    [InlineData("gemma2")]
    [InlineData("gemma3")]
    public void PeftTwin_Converted_GivesTheTokensOfItsGgufTwin(string family)
    {
        var set = models.Small(family);
        var peft = set.PeftDirectories[0];
        var converted = Path.Combine(models.Root, "converted", $"{family}.gguf");
        PeftConverter.Convert(Path.Combine(peft, PeftConverter.WeightsFileName), Path.Combine(peft, PeftConverter.ConfigFileName), set.BaseModelPath, converted);
        using var pair = new BackendComparison(set.BaseModelPath, 256, 1, 256, 8);
        foreach (var backend in new IStepBackend[] { pair.Llama, pair.Ggml })
        {
            var direct = backend.LoadAdapter(set.AdapterPaths[0]);
            var twin = backend.LoadAdapter(converted);
            foreach (var text in Prompts.Take(3))
            {
                var prompt = pair.Model.Tokenize(text, addBos: true, parseSpecial: false);
                var expected = BackendComparison.RunAlone(backend, direct, prompt, 20);
                Assert.Equal(expected.Tokens, BackendComparison.RunAlone(backend, twin, prompt, 20).Tokens);

                // The small gemma models often repeat one token whatever the adapter, so the adapter's effect is
                // checked on the logits after the prompt.
                var baseline = BackendComparison.RunAlone(backend, null, prompt, 1);
                Assert.True(BackendComparison.MaxAbsDifference(baseline.Logits[0], expected.Logits[0]) > 0.1f, "the adapter changes nothing");
            }
        }
    }

    /// <param name="window">The model's sliding window: every prompt must be longer.</param>
    /// <param name="promptTokens">0: each prompt as it is; else prompts joined and cut to this many tokens.</param>
    internal float Compare(BackendComparison pair, IReadOnlyList<string?> adapterPaths, int generate, float tolerance, int window, int promptTokens = 0)
    {
        var llamaAdapters = adapterPaths.Select(path => path is null ? null : pair.Llama.LoadAdapter(path)).ToList();
        var ggmlAdapters = adapterPaths.Select(path => path is null ? null : pair.Ggml.LoadAdapter(path)).ToList();
        var requests = new List<(IBackendAdapter? Adapter, int[] Prompt, BackendComparison.Run Reference)>();
        for (var s = 0; s < pair.Ggml.MaxSequences; s++)
        {
            var target = s % adapterPaths.Count;
            var text = promptTokens == 0 ? Prompts[s % Prompts.Length] : string.Join(' ', Enumerable.Range(0, 4 * Prompts.Length).Select(i => Prompts[(s + i) % Prompts.Length]));
            var prompt = pair.Model.Tokenize(text, addBos: true, parseSpecial: false);
            prompt = promptTokens == 0 ? prompt : prompt[..promptTokens];
            Assert.True(prompt.Length > window, $"prompt {s} has {prompt.Length} tokens: it must cross the sliding window of {window}");
            var reference = BackendComparison.RunAlone(pair.Llama, llamaAdapters[target], prompt, generate);
            requests.Add((ggmlAdapters[target], prompt, reference));
        }

        // Sanity: the comparison means nothing if the model always says the same thing.
        Assert.True(requests.Select(r => string.Join(',', r.Reference.Tokens)).Distinct().Count() >= requests.Count / 2);
        Assert.Contains(requests.Where((_, s) => s % adapterPaths.Count > 0), r => !r.Reference.Tokens.SequenceEqual(requests[0].Reference.Tokens));

        var together = BackendComparison.RunTogether(pair.Ggml, requests);
        var chunked = requests.Select(r => RunChunked(pair.Ggml, r.Adapter, r.Prompt, r.Reference.Tokens)).ToList();
        for (var s = 0; s < requests.Count; s++)
        {
            var reference = requests[s].Reference.Logits;
            var shared = reference.Select((r, i) => BackendComparison.MaxAbsDifference(r, together[s][i])).Max();
            var alone = reference.Select((r, i) => BackendComparison.MaxAbsDifference(r, chunked[s][i])).Max();
            output.WriteLine($"sequence {s} ({Path.GetFileName(adapterPaths[s % adapterPaths.Count]) ?? "base"}): largest difference {shared} in shared steps, {alone} chunked");
        }

        var worst = 0f;
        var nearTies = 0;
        var compared = 0;
        foreach (var (runs, mode) in new[] { (together, "shared steps"), (chunked, "chunked prefill") })
        {
            for (var s = 0; s < requests.Count; s++)
            {
                var reference = requests[s].Reference.Logits;
                Assert.Equal(reference.Count, runs[s].Count);
                for (var i = 0; i < reference.Count; i++)
                {
                    var difference = BackendComparison.MaxAbsDifference(reference[i], runs[s][i]);
                    worst = MathF.Max(worst, difference);
                    Assert.True(difference <= tolerance, $"{mode}, sequence {s} (adapter {adapterPaths[s % adapterPaths.Count] ?? "none"}), token {i}: logits differ by {difference}");
                    compared++;
                    if (BackendComparison.Margin(reference[i]) <= 2 * tolerance)
                    {
                        nearTies++;
                        continue;
                    }

                    Assert.Equal(BackendComparison.ArgMax(reference[i]), BackendComparison.ArgMax(runs[s][i]));
                }
            }
        }

        output.WriteLine($"{requests.Count} sequences, {compared} logit vectors, largest difference {worst}, near-ties {nearTies}");
        Assert.True(nearTies * 4 < compared, $"{nearTies} of {compared} positions were near-ties: the comparison is too weak");
        return worst;
    }

    /// <summary>One sequence alone, its prompt in <see cref="ChunkTokens"/>-token chunks, then teacher-forced decodes.</summary>
    private static List<float[]> RunChunked(IStepBackend backend, IBackendAdapter? adapter, int[] prompt, int[] tokens)
    {
        backend.ClearSequence(0);
        var logits = new List<float[]>();
        var position = 0;
        foreach (var chunk in prompt.Chunk(ChunkTokens))
        {
            var last = position + chunk.Length == prompt.Length;
            backend.Execute([new StepItem(0, adapter, chunk, position, last)], (_, values) => logits.Add(values.ToArray()));
            position += chunk.Length;
        }

        foreach (var token in tokens[..^1])
        {
            backend.Execute([new StepItem(0, adapter, new[] { token }, position++, true)], (_, values) => logits.Add(values.ToArray()));
        }

        backend.ClearSequence(0);
        return logits;
    }
}
