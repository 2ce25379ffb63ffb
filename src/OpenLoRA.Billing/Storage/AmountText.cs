using System.Globalization;
using System.Numerics;

namespace OpenLoRA.Billing.Storage;

/// <summary>
/// Amounts in OPEN base units (18 decimals) are stored as TEXT holding canonical decimal digits: no sign, no leading
/// zeros, "0" for zero. A 64-bit SQL INTEGER tops out at 9.2e18 base units (9.2 OPEN), far too small, and SQL
/// arithmetic on TEXT is not exact, so all sums are done in C# (BigInteger) inside one write transaction; SQL only
/// stores and compares for equality. The same column type and text run unchanged on PostgreSQL.
/// </summary>
internal static class AmountText
{
    public static string Format(BigInteger amount)
    {
        if (amount.Sign < 0)
        {
            throw new InvalidOperationException($"A stored amount can never be negative (got {amount}).");
        }

        return amount.ToString(CultureInfo.InvariantCulture);
    }

    public static BigInteger Parse(string text)
    {
        if (text.Length == 0 || text.Length > 78 || !text.All(char.IsAsciiDigit))
        {
            throw new InvalidDataException($"'{text}' is not a stored OPEN amount.");
        }

        return BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
