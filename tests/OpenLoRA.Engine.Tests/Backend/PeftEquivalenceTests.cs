using OpenLoRA.Engine.Sampling;

namespace OpenLoRA.Engine.Tests.Backend;

/// <summary>
/// A PEFT adapter (Hugging Face names and row order) converted to GGUF behaves exactly like the same weights written
/// as a GGUF adapter directly, on the tiny model whose 4 query heads over 2 KV heads make the q/k row permutation
/// matter; and the permutation is what makes it so.
/// </summary>
public sealed class PeftEquivalenceTests(PeftEngineFixture engine) : IClassFixture<PeftEngineFixture>
{
    private static readonly string[] Prompts = ["The quick brown fox", "Once upon a time", "def main():"];

    [Theory]
    [InlineData("tiny-attn-r4", "peft-attn-r4")]
    [InlineData("tiny-all-r2", "peft-all-r2")]
    public async Task Submit_ConvertedPeftAdapter_GreedyTokensEqualTheDirectGgufAdapterAndDifferFromBase(string direct, string converted)
    {
        foreach (var prompt in Prompts)
        {
            var expected = await RunAsync(direct, prompt);
            var actual = await RunAsync(converted, prompt);
            var baseline = await RunAsync("tiny-llama", prompt);

            Assert.Equal(expected, actual);
            Assert.NotEqual(baseline, actual);
        }
    }

    [Theory]
    [InlineData("tiny-attn-r4", "nopermute-attn-r4")]
    [InlineData("tiny-all-r2", "nopermute-all-r2")]
    public async Task Submit_ConvertedWithoutRotaryPermutation_GreedyTokensDiffer(string direct, string unpermuted)
    {
        var differs = false;
        foreach (var prompt in Prompts)
        {
            var expected = await RunAsync(direct, prompt);
            var actual = await RunAsync(unpermuted, prompt);
            differs |= !expected.AsEnumerable().SequenceEqual(actual);
        }

        Assert.True(differs, "skipping llama.cpp's q/k row permutation should change the output");
    }

    private async Task<int[]> RunAsync(string model, string text)
    {
        var target = engine.Catalog.Resolve(model) ?? throw new InvalidOperationException($"{model} is not registered");
        var prompt = engine.Inference.PrepareCompletion(target, text);
        var sampling = new SamplingParameters { Temperature = 0, MaxTokens = 20, IgnoreEos = true };
        await using var generation = engine.Inference.Submit(target, prompt, sampling, CancellationToken.None);
        await foreach (var _ in generation.Deltas)
        {
        }

        return generation.CompletionTokenIds.ToArray();
    }
}
