using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;

namespace OpenLoRA.Engine.Tests.Backend;

/// <summary>A PEFT adapter converted to GGUF behaves exactly like the same weights written as GGUF directly.</summary>
public sealed class PeftEquivalenceTests(PeftEngineFixture engine) : IClassFixture<PeftEngineFixture>
{
    private static readonly string[] Prompts = ["The quick brown fox", "Once upon a time", "def main():"];

    [Theory]
    [InlineData("attn-r4")]
    [InlineData("all-r2")]
    public async Task ConvertedPeftAdapter_GreedyTokens_EqualTheDirectGgufAdapter(string adapter)
    {
        foreach (var prompt in Prompts)
        {
            var direct = await RunAsync($"tiny-{adapter}", prompt);
            var converted = await RunAsync($"peft-{adapter}", prompt);
            var baseline = await RunAsync("tiny-llama", prompt);

            Assert.Equal(direct, converted);
            Assert.NotEqual(baseline, converted);
        }
    }

    [Fact]
    public async Task ConvertedWithoutRotaryPermutation_GreedyTokens_Differ()
    {
        var differs = false;
        foreach (var prompt in Prompts)
        {
            var direct = await RunAsync("tiny-attn-r4", prompt);
            var unpermuted = await RunAsync("nopermute-attn-r4", prompt);
            differs |= !direct.AsEnumerable().SequenceEqual(unpermuted);
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
