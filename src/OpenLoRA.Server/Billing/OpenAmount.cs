using System.Globalization;
using System.Numerics;
using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Server.Billing;

/// <summary>OPEN amounts: base units (18 decimals) as integers, shown to clients as exact decimal strings.</summary>
internal static class OpenAmount
{
    public const string Currency = "OPEN";
    public const int Decimals = 18;
    private static readonly BigInteger Unit = BigInteger.Pow(10, Decimals);

    /// <summary>"0.000123" for 123,000,000,000,000 base units; no exponent, no rounding, trailing zeros trimmed.</summary>
    public static string Format(BigInteger units)
    {
        var sign = units.Sign < 0 ? "-" : "";
        var magnitude = BigInteger.Abs(units);
        var whole = BigInteger.DivRem(magnitude, Unit, out var fraction);
        var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        return digits.Length == 0
            ? sign + whole.ToString(CultureInfo.InvariantCulture)
            : $"{sign}{whole.ToString(CultureInfo.InvariantCulture)}.{digits}";
    }

    /// <summary>
    /// A publisher's decimal OPEN price in base units, exact. Callers price only adapters that
    /// <see cref="AdapterPriceGuard"/> let through, so a price out of <see cref="PublisherPrice"/>'s bound is a bug here.
    /// </summary>
    public static BigInteger FromOpen(decimal open) =>
        PublisherPrice.TryToBaseUnits(open, out var units) is { } problem
            ? throw new ArgumentException($"The price {open} cannot be billed: {problem}.", nameof(open))
            : units;
}
