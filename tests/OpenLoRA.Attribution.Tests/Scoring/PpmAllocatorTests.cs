using OpenLoRA.Attribution.Scoring;
using static OpenLoRA.Attribution.Tests.TestData;

namespace OpenLoRA.Attribution.Tests.Scoring;

public sealed class PpmAllocatorTests
{
    private static IReadOnlyList<ContributorShare> Allocate(params (string Address, ulong Weight)[] weights) =>
        PpmAllocator.Allocate(weights.Select(w => new StaticShare(w.Address, w.Weight)));

    [Fact]
    public void Allocate_ThreeEqual_ExtraPpmToLowestAddress()
    {
        // Bob 0xfB69… > Alice 0x5aAe… > Carol? No: numeric order is Alice (0x5a) < Carol (0xdb) < Bob (0xfb).
        IReadOnlyList<ContributorShare> shares = Allocate((Bob, 1), (Carol, 1), (Alice, 1));
        Assert.Equal([new ContributorShare(Alice, 333_334), new ContributorShare(Carol, 333_333), new ContributorShare(Bob, 333_333)], shares);
    }

    [Fact]
    public void Allocate_LargestRemainderWins()
    {
        // 1/7 = 142857.14, 2/7 = 285714.28, 4/7 = 571428.57 -> floors sum 999999, the 4/7 remainder is largest.
        IReadOnlyList<ContributorShare> shares = Allocate((Alice, 1), (Bob, 2), (Carol, 4));
        Assert.Equal([new ContributorShare(Carol, 571_429), new ContributorShare(Bob, 285_714), new ContributorShare(Alice, 142_857)], shares);
    }

    [Fact]
    public void Allocate_RandomWeights_AlwaysSumToMillion()
    {
        var random = new Random(3);
        string[] all = [Alice, Bob, Carol, Dave];
        for (int i = 0; i < 500; i++)
        {
            var weights = all.Take(1 + random.Next(4)).Select(a => (a, (ulong)random.NextInt64(1, long.MaxValue))).ToArray();
            IReadOnlyList<ContributorShare> shares = Allocate(weights);
            Assert.Equal(PpmAllocator.Million, shares.Sum(s => s.Ppm));
            Assert.Equal(shares.OrderByDescending(s => s.Ppm).ThenBy(s => s.Address.ToLowerInvariant(), StringComparer.Ordinal), shares);
        }
    }

    [Fact]
    public void Allocate_DuplicateAddressesInAnyCase_Merged()
    {
        IReadOnlyList<ContributorShare> shares = Allocate((Alice, 1), (Alice.ToLowerInvariant(), 1), (Bob, 2));
        Assert.Equal([new ContributorShare(Alice, 500_000), new ContributorShare(Bob, 500_000)], shares);
    }

    [Fact]
    public void Allocate_ZeroWeightsAndTinyShares_Dropped()
    {
        Assert.Empty(Allocate((Alice, 0)));
        Assert.Empty(Allocate());
        IReadOnlyList<ContributorShare> shares = Allocate((Alice, 10_000_000), (Bob, 1), (Carol, 0));
        Assert.Equal([new ContributorShare(Alice, 1_000_000)], shares);
    }

    [Fact]
    public void Allocate_AlreadyPpm_Unchanged()
    {
        IReadOnlyList<ContributorShare> shares = Allocate((Alice, 600_000), (Bob, 300_000), (Carol, 100_000));
        Assert.Equal([600_000, 300_000, 100_000], shares.Select(s => s.Ppm));
    }

    [Fact]
    public void Allocate_InvalidAddress_Throws() => Assert.Throws<ArgumentException>(() => Allocate(("0xabc", 1)));
}
