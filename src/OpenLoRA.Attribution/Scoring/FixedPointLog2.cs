namespace OpenLoRA.Attribution.Scoring;

/// <summary>
/// Binary logarithm in Q16.16 using only integer arithmetic (normalize, then square the mantissa once per
/// fraction bit), so the weights, and therefore the ppm and the signed trace, are bit-identical on every machine.
/// </summary>
internal static class FixedPointLog2
{
    public const int FractionBits = 16;

    /// <summary>floor(log2(value) × 2^16) up to the truncation of each squaring; value must be positive.</summary>
    public static ulong Log2(ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfZero(value);
        int integerPart = 63 - System.Numerics.BitOperations.LeadingZeroCount(value);
        // Mantissa in [1, 2) as Q2.62.
        ulong y = integerPart <= 62 ? value << (62 - integerPart) : value >> (integerPart - 62);
        ulong result = (ulong)integerPart << FractionBits;
        const ulong two = 1UL << 63;
        for (int bit = FractionBits - 1; bit >= 0; bit--)
        {
            y = (ulong)(((UInt128)y * y) >> 62);
            if (y >= two)
            {
                y >>= 1;
                result |= 1UL << bit;
            }
        }
        return result;
    }
}
