using System.Numerics;
using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Chain.Tests.Submission;

public sealed class FeeBumpTests
{
    [Theory]
    [InlineData(1_000_000_000, 0, 1_125_000_001)]
    [InlineData(7, 0, 9)]
    [InlineData(1_000, 5_000, 5_000)]
    public void Bump_Previous_AtLeastTwelveAndAHalfPercentOrTheSuggestion(long previous, long suggested, long expected)
    {
        var bumped = FeeBump.Bump(previous, suggested);

        Assert.Equal(new BigInteger(expected), bumped);
        Assert.True(bumped * 8 >= new BigInteger(previous) * 9);
    }
}
