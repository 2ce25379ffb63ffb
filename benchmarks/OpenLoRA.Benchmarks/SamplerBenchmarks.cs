using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Sampling;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Sampling one token from a 32,000-entry logits vector (the bench model's vocabulary) under the settings clients
/// send: greedy; temperature + top_k + top_p; top_p alone (sorts every candidate); min_p; and frequency/presence
/// penalties over 200 generated tokens. The logits look like a model's: a broad normal background with a few
/// dozen clear favourites, so top_p and min_p cut where they would in practice.
/// </summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private const int Vocabulary = 32000;
    private const int Seed = 42;
    private const int GeneratedTokens = 200;
    private readonly float[] _logits = new float[Vocabulary];
    private TokenSampler? _sampler;

    [Params("greedy", "temp-topk-topp", "topp", "minp", "penalties")]
    public string Mode { get; set; } = "greedy";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        for (var i = 0; i < Vocabulary; i++)
        {
            // Box–Muller: standard normal background, scaled to the spread of real logits.
            var normal = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
            _logits[i] = (float)(2.5 * normal);
        }

        for (var i = 0; i < 40; i++)
        {
            _logits[random.Next(Vocabulary)] += 12f + (float)(4.0 * random.NextDouble());
        }

        var parameters = Mode switch
        {
            "greedy" => new SamplingParameters { Temperature = 0f },
            "temp-topk-topp" => new SamplingParameters { Temperature = 0.8f, TopK = 40, TopP = 0.95f },
            "topp" => new SamplingParameters { Temperature = 1f, TopP = 0.9f },
            "minp" => new SamplingParameters { Temperature = 1f, MinP = 0.05f },
            "penalties" => new SamplingParameters { Temperature = 0.8f, TopK = 40, FrequencyPenalty = 0.5f, PresencePenalty = 0.3f },
            _ => throw new InvalidOperationException($"unknown mode '{Mode}'"),
        };
        _sampler = new TokenSampler(parameters, Vocabulary, Seed);
        if (Mode == "penalties")
        {
            // Penalties scale with the tokens generated so far; repeats make the frequency term matter.
            for (var i = 0; i < GeneratedTokens; i++)
            {
                _sampler.Accept(random.Next(Vocabulary / 8));
            }
        }
    }

    [Benchmark]
    public int Sample() => _sampler!.Sample(_logits);
}
