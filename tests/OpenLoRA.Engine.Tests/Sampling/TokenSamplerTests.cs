using OpenLoRA.Engine.Sampling;

namespace OpenLoRA.Engine.Tests.Sampling;

public sealed class TokenSamplerTests
{
    private static readonly float[] Logits = [1f, 3f, 2f, 3f, -1f, 0.5f];

    [Fact]
    public void Sample_TemperatureZero_PicksArgmaxWithLowestIdOnTies()
    {
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 0 }, Logits.Length, 1);

        Assert.Equal(1, sampler.Sample(Logits));
    }

    [Fact]
    public void Sample_FrequencyPenalty_MovesGreedyChoiceAwayFromRepeatedToken()
    {
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 0, FrequencyPenalty = 0.6f }, Logits.Length, 1);
        sampler.Accept(1);

        Assert.Equal(3, sampler.Sample(Logits));
        sampler.Accept(3);
        sampler.Accept(3);
        Assert.Equal(1, sampler.Sample(Logits));
    }

    [Fact]
    public void Sample_PresencePenalty_AppliesOncePerSeenToken()
    {
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 0, PresencePenalty = 1.5f }, Logits.Length, 1);
        sampler.Accept(1);
        sampler.Accept(3);

        Assert.Equal(2, sampler.Sample(Logits));
    }

    [Fact]
    public void Sample_TopKOne_EqualsGreedy()
    {
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 1.5f, TopK = 1 }, Logits.Length, 99);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(1, sampler.Sample(Logits));
        }
    }

    [Fact]
    public void Sample_TinyTopP_KeepsOnlyTheBestToken()
    {
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 1f, TopP = 0.01f }, Logits.Length, 5);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(1, sampler.Sample(Logits));
        }
    }

    [Fact]
    public void Sample_MinP_DropsUnlikelyTokens()
    {
        // p(token)/p(max) = exp(logit - 3): tokens 1 and 3 are 1.0, token 2 is 0.37, the rest are below 0.14.
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 1f, MinP = 0.3f }, Logits.Length, 11);

        var seen = Enumerable.Range(0, 2000).Select(_ => sampler.Sample(Logits)).ToHashSet();

        Assert.Equal([1, 2, 3], seen.Order());
    }

    [Fact]
    public void Sample_SameSeed_SameTokens()
    {
        var parameters = new SamplingParameters { Temperature = 1.2f, TopP = 0.9f, TopK = 5 };
        var first = new TokenSampler(parameters, Logits.Length, 1234);
        var second = new TokenSampler(parameters, Logits.Length, 1234);

        var a = Enumerable.Range(0, 200).Select(_ => first.Sample(Logits)).ToArray();
        var b = Enumerable.Range(0, 200).Select(_ => second.Sample(Logits)).ToArray();

        Assert.Equal(a, b);
        Assert.True(a.Distinct().Count() > 2);
    }

    [Fact]
    public void Sample_TemperatureOne_FollowsTheSoftmaxDistribution()
    {
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 1f }, Logits.Length, 42);
        var counts = new int[Logits.Length];
        const int draws = 40_000;

        for (var i = 0; i < draws; i++)
        {
            counts[sampler.Sample(Logits)]++;
        }

        var max = Logits.Max();
        var weights = Logits.Select(l => Math.Exp(l - max)).ToArray();
        var total = weights.Sum();
        for (var t = 0; t < Logits.Length; t++)
        {
            Assert.InRange(counts[t] / (double)draws, weights[t] / total - 0.01, weights[t] / total + 0.01);
        }
    }

    [Fact]
    public void Sample_NonFiniteLogits_NeverThrowsAndAvoidsThem()
    {
        float[] logits = [float.NaN, float.PositiveInfinity, 1f, float.NegativeInfinity, 2f];
        var greedy = new TokenSampler(new SamplingParameters { Temperature = 0 }, logits.Length, 1);
        var random = new TokenSampler(new SamplingParameters { Temperature = 1f, TopP = 0.5f }, logits.Length, 1);

        Assert.Equal(4, greedy.Sample(logits));
        Assert.All(Enumerable.Range(0, 100).Select(_ => random.Sample(logits)), t => Assert.Contains(t, new[] { 2, 4 }));
    }

    [Fact]
    public void Sample_AllLogitsNonFinite_ReturnsAToken()
    {
        float[] logits = [float.NaN, float.NaN, float.NegativeInfinity];
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 0.7f }, logits.Length, 3);

        Assert.InRange(sampler.Sample(logits), 0, 2);
    }

    [Fact]
    public void Sample_TopKOnLargeVocabulary_OnlyReturnsTheKBest()
    {
        var logits = Enumerable.Range(0, 32_000).Select(i => (float)((i * 7919) % 32_000) / 1000f).ToArray();
        var best = logits.Select((l, i) => (l, i)).OrderByDescending(p => p.l).Take(10).Select(p => p.i).ToHashSet();
        var sampler = new TokenSampler(new SamplingParameters { Temperature = 5f, TopK = 10 }, logits.Length, 8);

        Assert.All(Enumerable.Range(0, 500).Select(_ => sampler.Sample(logits)), t => Assert.Contains(t, best));
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    [InlineData(0.999f)]
    public void Sample_TopPOnLargeVocabulary_OnlyReturnsTheNucleusAndReachesItsEdge(float topP)
    {
        // A flat-ish 32k distribution, so the nucleus holds hundreds or thousands of tokens (past the first 64 sorted).
        var logits = Enumerable.Range(0, 32_000).Select(i => (float)((i * 7919) % 32_000) / 8000f).ToArray();
        var weights = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        var total = weights.Sum();
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => weights[i]).ThenBy(i => i).ToArray();
        var nucleus = new HashSet<int>();
        var cumulative = 0.0;
        foreach (var token in order)
        {
            nucleus.Add(token);
            cumulative += weights[token] / total;
            if (cumulative >= topP)
            {
                break;
            }
        }

        var sampler = new TokenSampler(new SamplingParameters { Temperature = 1f, TopP = topP }, logits.Length, 11);
        var drawn = Enumerable.Range(0, 400).Select(_ => sampler.Sample(logits)).ToList();

        Assert.All(drawn, t => Assert.Contains(t, nucleus));
        Assert.True(nucleus.Count > 64, $"nucleus of {nucleus.Count}");

        // The nucleus's least likely half is reached too: the cut is not made too early.
        var tail = order.Take(nucleus.Count).Skip(nucleus.Count / 2).ToHashSet();
        Assert.Contains(drawn, tail.Contains);
    }
}
