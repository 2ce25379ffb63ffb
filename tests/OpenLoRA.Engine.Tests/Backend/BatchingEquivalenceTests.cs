using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine.Tests.Backend;

/// <summary>The default (ggml) backend: sequences on different adapters share one forward pass.</summary>
public sealed class GgmlBatchingEquivalenceTests(TinyEngineFixture engine) : BatchingEquivalenceTests(engine), IClassFixture<TinyEngineFixture>;

/// <summary>The LLamaSharp backend: one decode per adapter group on a shared KV cache.</summary>
public sealed class LlamaSharpBatchingEquivalenceTests(LlamaSharpTinyEngineFixture engine) : BatchingEquivalenceTests(engine), IClassFixture<LlamaSharpTinyEngineFixture>;

/// <summary>
/// Continuous batching must not change any sequence's greedy tokens: each request produces exactly what it produces
/// when run alone, on either backend.
/// </summary>
public abstract class BatchingEquivalenceTests(TinyEngineFixture engine)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly string[] Prompts =
    [
        "The quick brown fox",
        "Once upon a time in a land far away",
        "def main():",
        "Attribution matters because",
        "Grüße aus Köln — 日本語も",
        "1, 2, 3, 4,",
    ];

    [Fact]
    public async Task Submit_ConcurrentGreedyRequestsOverAdaptersAndBase_MatchTheSameRequestsRunAlone()
    {
        var targets = Targets();
        var requests = Enumerable.Range(0, 16).Select(i => (Target: targets[i % targets.Count], Prompt: Prompts[i % Prompts.Length])).ToList();

        var alone = new List<int[]>();
        foreach (var (target, prompt) in requests)
        {
            alone.Add(await RunAsync(target, prompt));
        }

        var together = await Task.WhenAll(requests.Select(r => RunAsync(r.Target, r.Prompt))).WaitAsync(Timeout);

        // A degenerate model (one token forever) would make this comparison meaningless.
        Assert.True(alone.Select(t => string.Join(',', t)).Distinct().Count() >= 8);
        Assert.All(alone, tokens => Assert.True(tokens.Distinct().Count() > 3));
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.True(alone[i].SequenceEqual(together[i]), $"request {i} ({requests[i].Target.ResponseModelId}) diverged when batched");
        }
    }

    [Fact]
    public async Task Submit_EachAdapter_GreedyOutputDiffersFromTheBaseModel()
    {
        var targets = Targets();
        var baseline = await RunAsync(targets[0], Prompts[0]);

        foreach (var target in targets.Skip(1))
        {
            var tokens = await RunAsync(target, Prompts[0]);
            Assert.False(baseline.SequenceEqual(tokens), $"adapter {target.ResponseModelId} produced the base model's tokens");
        }
    }

    [Fact]
    public async Task Submit_CompletionText_IsValidUtf16AtEveryDelta()
    {
        var target = Targets()[1];
        var prompt = engine.Inference.PrepareCompletion(target, Prompts[4]);
        var sampling = new SamplingParameters { Temperature = 1.5f, Seed = 7, MaxTokens = 64, IgnoreEos = true };

        await using var generation = engine.Inference.Submit(target, prompt, sampling, CancellationToken.None);
        await foreach (var delta in generation.Deltas.WithCancellation(CancellationToken.None))
        {
            Assert.True(System.Text.Unicode.Utf8.IsValid(System.Text.Encoding.UTF8.GetBytes(delta.Text)) && !HasLoneSurrogate(delta.Text));
        }

        Assert.Equal(64, generation.Usage.CompletionTokens);
    }

    private List<ModelTarget> Targets()
    {
        var catalog = engine.Catalog;
        var adapters = new[] { "tiny-attn-r4", "tiny-mlp-r8", "tiny-out-r4" };
        var targets = new List<ModelTarget> { catalog.Resolve("tiny-llama")! };
        targets.AddRange(adapters.Select(name => catalog.Resolve(name) ?? throw new InvalidOperationException($"adapter {name} missing")));
        return targets;
    }

    private async Task<int[]> RunAsync(ModelTarget target, string text)
    {
        var prompt = engine.Inference.PrepareCompletion(target, text);
        var sampling = new SamplingParameters { Temperature = 0, MaxTokens = 24, IgnoreEos = true };
        await using var generation = engine.Inference.Submit(target, prompt, sampling, CancellationToken.None);
        await foreach (var _ in generation.Deltas)
        {
        }

        return generation.CompletionTokenIds.ToArray();
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])))
            {
                return true;
            }

            if (char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
            {
                return true;
            }
        }

        return false;
    }
}
