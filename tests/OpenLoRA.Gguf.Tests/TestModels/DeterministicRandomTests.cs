using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.TestModels;

public sealed class DeterministicRandomTests
{
    [Fact]
    public void NextUInt64_SeedZero_MatchesSplitMix64Reference()
    {
        var random = new DeterministicRandom(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
    }

    [Fact]
    public void ForStream_DifferentNames_GiveDifferentStreams()
    {
        Assert.NotEqual(
            DeterministicRandom.ForStream(42, "a").NextUInt64(),
            DeterministicRandom.ForStream(42, "b").NextUInt64());
        Assert.Equal(
            DeterministicRandom.ForStream(42, "a").NextUInt64(),
            DeterministicRandom.ForStream(42, "a").NextUInt64());
    }

    [Fact]
    public void NextSingleAndNextInt_StayInRange()
    {
        var random = new DeterministicRandom(9);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(random.NextSingle(), 0f, 0.99999995f);
            Assert.InRange(random.NextInt(7), 0, 6);
        }
    }
}
