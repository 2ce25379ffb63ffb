using System.Numerics;
using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Billing.Tests.Pricing;

public sealed class PriceQuoteTests
{
    [Fact]
    public void Charge_WholeThousands_ExactSumOfPricesPlusFee()
    {
        // adapter 2e15 / 3e15, base 1e15 / 1e15 per 1K; 2,000 in + 1,000 out = 6e15 + 4e15 = 1e16; fee 5% = 1.05e16.
        var quote = new PriceQuote(2_000_000_000_000_000, 3_000_000_000_000_000, 1_000_000_000_000_000, 1_000_000_000_000_000, 500);

        Assert.Equal(BigInteger.Parse("10500000000000000"), quote.Charge(2_000, 1_000));
    }

    [Fact]
    public void Charge_Fraction_RoundsUpOnceToABaseUnit()
    {
        // 1 token at 1 unit per 1K = 1/1000 unit, fee 0 → 1 unit; 1,001 tokens → 1.001 → 2 units.
        var quote = new PriceQuote(1, 0, 0, 0, 0);

        Assert.Equal(BigInteger.One, quote.Charge(1, 0));
        Assert.Equal(BigInteger.One, quote.Charge(1_000, 0));
        Assert.Equal(new BigInteger(2), quote.Charge(1_001, 0));
        Assert.Equal(BigInteger.Zero, quote.Charge(0, 0));
    }

    [Fact]
    public void Charge_RoundsOnlyAtTheEnd_NotPerComponent()
    {
        // Each component alone is 0.5 unit; rounded per component that would be 2, once at the end it is 1.
        var quote = new PriceQuote(500, 500, 0, 0, 0);

        Assert.Equal(BigInteger.One, quote.Charge(1, 1));
    }

    [Fact]
    public void Charge_LargePrices_ExactBeyond64Bits()
    {
        BigInteger price = BigInteger.Parse("123456789012345678901234567890");
        var quote = new PriceQuote(price, price, price, price, 1234);

        BigInteger expected = ((7 * 2 * price + 11 * 2 * price) * 11_234 + 9_999_999) / 10_000_000;
        Assert.Equal(expected, quote.Charge(7, 11));
    }

    [Fact]
    public void Reservation_AtLeastEveryChargeUpToMaxTokens()
    {
        var quote = new PriceQuote(1_234_567, 7_654_321, 111, 999, 250);
        BigInteger reservation = quote.Reservation(37, 64);

        for (int completion = 0; completion <= 64; completion++)
        {
            Assert.True(quote.Charge(37, completion) <= reservation);
        }

        Assert.Equal(quote.Charge(37, 64), reservation);
    }

    [Fact]
    public void Constructor_NegativePrice_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriceQuote(-1, 0, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriceQuote(0, 0, 0, 0, -1));
    }
}
