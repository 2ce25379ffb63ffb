namespace OpenLoRA.LoadTest.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void Percentile_InterpolatesBetweenRanks()
    {
        double[] values = [4, 1, 3, 2];

        Assert.Equal(1, Statistics.Percentile(values, 0));
        Assert.Equal(2.5, Statistics.Percentile(values, 50));
        Assert.Equal(4, Statistics.Percentile(values, 100));
        Assert.True(double.IsNaN(Statistics.Percentile([], 50)));
    }

    [Fact]
    public void JainIndex_EqualSharesIsOneAndOneTenantTakingAllIsOneOverN()
    {
        Assert.Equal(1, Statistics.JainIndex([3, 3, 3]), 9);
        Assert.Equal(0.25, Statistics.JainIndex([5, 0, 0, 0]), 9);
        Assert.InRange(Statistics.JainIndex([1, 10]), 0.59, 0.60);
    }

    [Fact]
    public void ZipfDistribution_RankFrequenciesFollowThePowerLaw()
    {
        var zipf = new ZipfDistribution(100, 1.0);
        var random = new Random(1);
        var counts = new int[100];
        for (var i = 0; i < 200_000; i++)
        {
            counts[zipf.Sample(random.NextDouble())]++;
        }

        // p(rank 0) / p(rank 1) = 2 and p(rank 0) / p(rank 9) = 10 for s = 1.
        Assert.InRange(counts[0] / (double)counts[1], 1.9, 2.1);
        Assert.InRange(counts[0] / (double)counts[9], 9, 11);
    }

    [Fact]
    public void ZipfDistribution_ExponentZero_IsUniform()
    {
        var zipf = new ZipfDistribution(4, 0);

        Assert.Equal([0, 1, 2, 3], new[] { 0.1, 0.3, 0.6, 0.9 }.Select(zipf.Sample));
    }
}
