using System.Globalization;
using System.Numerics;
using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Billing.Tests.Pricing;

/// <summary>The publisher price bound: exact base units inside it, a reason outside it, for text and stored decimals.</summary>
public sealed class PublisherPriceTests
{
    [Fact]
    public void TryParse_RandomPricesInsideTheBound_GiveExactBaseUnitsAndTheSameDecimal()
    {
        var random = new Random(14);
        for (var i = 0; i < 20_000; i++)
        {
            var whole = random.NextInt64(0, PublisherPrice.MaxOpenPer1K + 1);
            var decimals = random.Next(0, PublisherPrice.Decimals + 1);
            var fraction = decimals == 0 ? "" : random.NextInt64(0, long.MaxValue).ToString(CultureInfo.InvariantCulture).PadLeft(19, '0')[..decimals];
            if (whole == PublisherPrice.MaxOpenPer1K)
            {
                fraction = new string('0', decimals);
            }

            var text = decimals == 0 ? whole.ToString(CultureInfo.InvariantCulture) : $"{whole}.{fraction}";

            Assert.Null(PublisherPrice.TryParse(text, out var units, out var open));

            var expected = BigInteger.Parse(whole + fraction.PadRight(PublisherPrice.Decimals, '0'), CultureInfo.InvariantCulture);
            Assert.Equal(expected, units);
            Assert.Null(PublisherPrice.TryToBaseUnits(open, out var back));
            Assert.Equal(expected, back);
        }
    }

    [Theory]
    [InlineData("1000000000.000000000000000001", "above")]
    [InlineData("1000000001", "above")]
    [InlineData("79228162514264337593543950336", "above")]
    [InlineData("0.0000000000000000001", "19 decimals")]
    [InlineData("0.000000000000000000000000000000001", "33 decimals")]
    [InlineData("0.10000000000000000000", "20 decimals")]
    [InlineData("", "plain decimal")]
    [InlineData(".", "plain decimal")]
    [InlineData("-1", "plain decimal")]
    [InlineData("+1", "plain decimal")]
    [InlineData("1e3", "plain decimal")]
    [InlineData("1,5", "plain decimal")]
    [InlineData("1.2.3", "plain decimal")]
    [InlineData(" 1", "plain decimal")]
    [InlineData("٣", "plain decimal")]
    public void TryParse_OutsideTheBound_SaysWhy(string text, string reason)
    {
        Assert.Contains(reason, PublisherPrice.TryParse(text, out var units, out _), StringComparison.Ordinal);
        Assert.Equal(BigInteger.Zero, units);
    }

    [Theory]
    [InlineData("100000000000")]
    [InlineData("1000000000.5")]
    [InlineData("-0.001")]
    [InlineData("0.0000000000000000001")]
    [InlineData("0.0000000000000000000000000001")]
    public void TryToBaseUnits_StoredPriceBillingCannotCharge_SaysWhy(string stored)
    {
        Assert.NotNull(PublisherPrice.TryToBaseUnits(decimal.Parse(stored, NumberStyles.Float, CultureInfo.InvariantCulture), out _));
    }

    [Fact]
    public void Bound_NamesTheLimitAndTheDecimals()
    {
        Assert.Contains("1000000000 OPEN per 1,000 tokens", PublisherPrice.Bound, StringComparison.Ordinal);
        Assert.Contains("18 decimals", PublisherPrice.Bound, StringComparison.Ordinal);
    }
}
