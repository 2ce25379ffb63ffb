using System.Globalization;
using System.Numerics;

namespace OpenLoRA.Billing.Pricing;

/// <summary>
/// What an adapter publisher's price (OPEN per 1,000 tokens, as decimal text) may be so that billing can charge it
/// exactly. The ledger counts OPEN in base units of 10^-18 (<see cref="Decimals"/>, the token's decimals; see
/// <c>AmountText</c>), so a price with more decimals names a fraction of a unit nothing can charge. Prices travel as
/// <see cref="decimal"/> between the registry and the ledger; <see cref="MaxOpenPer1K"/> keeps price · 10^18 inside
/// decimal's 96-bit mantissa (7.9·10^28) with room, and is already the whole OPEN supply (10^9) per 1,000 tokens.
/// </summary>
public static class PublisherPrice
{
    /// <summary>OPEN's decimals: one base unit is 10^-18 OPEN, the smallest amount the ledger can hold.</summary>
    public const int Decimals = 18;

    /// <summary>The highest price per 1,000 tokens, in whole OPEN.</summary>
    public const long MaxOpenPer1K = 1_000_000_000;

    private static readonly BigInteger UnitsPerOpen = BigInteger.Pow(10, Decimals);
    private static readonly BigInteger MaxUnits = MaxOpenPer1K * UnitsPerOpen;

    /// <summary>The bound, as error messages state it.</summary>
    public static string Bound { get; } = string.Create(
        CultureInfo.InvariantCulture, $"a decimal number from 0 to {MaxOpenPer1K} OPEN per 1,000 tokens with at most {Decimals} decimals");

    /// <summary>
    /// Parses the text a publisher signs: digits with at most one decimal point (no sign, exponent, spaces or group
    /// separators, so the signed text has one reading), within the bound. Null and the base units when acceptable,
    /// otherwise why not.
    /// </summary>
    public static string? TryParse(string text, out BigInteger baseUnits, out decimal open)
    {
        ArgumentNullException.ThrowIfNull(text);
        baseUnits = BigInteger.Zero;
        open = 0m;
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        if (whole.Length + fraction.Length == 0 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
        {
            return "it is not a plain decimal number such as 0.002 (digits and one optional '.', no sign or exponent)";
        }

        if (fraction.Length > Decimals)
        {
            return $"it has {fraction.Length} decimals; OPEN has {Decimals}, so billing cannot charge a finer price";
        }

        var units = (whole.Length == 0 ? BigInteger.Zero : BigInteger.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture)) * UnitsPerOpen
            + (fraction.Length == 0 ? BigInteger.Zero : BigInteger.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture) * BigInteger.Pow(10, Decimals - fraction.Length));
        if (units > MaxUnits)
        {
            return $"it is above {MaxOpenPer1K} OPEN per 1,000 tokens";
        }

        baseUnits = units;
        open = ToOpen(units);
        return null;
    }

    /// <summary>A stored price in base units; null when acceptable, otherwise why billing cannot charge it.</summary>
    public static string? TryToBaseUnits(decimal open, out BigInteger baseUnits)
    {
        baseUnits = BigInteger.Zero;
        if (open < 0)
        {
            return "it is negative";
        }

        if (open > MaxOpenPer1K)
        {
            return $"it is above {MaxOpenPer1K} OPEN per 1,000 tokens";
        }

        // Exact: open is at most 10^9, so open · 10^18 is at most 10^27, inside decimal's range.
        var scaled = open * 1_000_000_000_000_000_000m;
        if (scaled != decimal.Truncate(scaled))
        {
            return $"it has more than {Decimals} decimals";
        }

        baseUnits = new BigInteger(scaled);
        return null;
    }

    // Exact: at most 10^27 units, which decimal holds, divided by a power of ten it can scale by.
    private static decimal ToOpen(BigInteger units) => (decimal)units / 1_000_000_000_000_000_000m;
}
