using System.Numerics;

namespace OpenLoRA.Billing.Pricing;

/// <summary>
/// What one request costs, in OPEN base units: the adapter's price (set by its publisher) plus the base model's price,
/// each per 1,000 input and 1,000 output tokens, plus the platform fee in basis points on top.
/// <para>
/// Rounding rule: the charge is computed exactly as a fraction and rounded up once, at the end, to a whole base unit:
/// <c>ceil((prompt·(adapterIn + baseIn) + completion·(adapterOut + baseOut)) · (10000 + feeBps) / (1000 · 10000))</c>.
/// Rounding up never under-collects and overcharges by less than one base unit (1e-18 OPEN) per request; rounding
/// once (not per component) keeps the charge independent of how the price is decomposed.
/// </para>
/// </summary>
public sealed record PriceQuote
{
    private static readonly BigInteger Denominator = 1_000 * 10_000;

    public PriceQuote(BigInteger adapterInputPer1K, BigInteger adapterOutputPer1K, BigInteger baseInputPer1K,
        BigInteger baseOutputPer1K, int platformFeeBps)
    {
        if (adapterInputPer1K.Sign < 0 || adapterOutputPer1K.Sign < 0 || baseInputPer1K.Sign < 0 || baseOutputPer1K.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(adapterInputPer1K), "Prices cannot be negative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(platformFeeBps);
        AdapterInputPer1K = adapterInputPer1K;
        AdapterOutputPer1K = adapterOutputPer1K;
        BaseInputPer1K = baseInputPer1K;
        BaseOutputPer1K = baseOutputPer1K;
        PlatformFeeBps = platformFeeBps;
    }

    public BigInteger AdapterInputPer1K { get; }

    public BigInteger AdapterOutputPer1K { get; }

    public BigInteger BaseInputPer1K { get; }

    public BigInteger BaseOutputPer1K { get; }

    public int PlatformFeeBps { get; }

    /// <summary>The charge for <paramref name="promptTokens"/> input and <paramref name="completionTokens"/> output tokens.</summary>
    public BigInteger Charge(long promptTokens, long completionTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(completionTokens);
        BigInteger numerator =
            (promptTokens * (AdapterInputPer1K + BaseInputPer1K) + completionTokens * (AdapterOutputPer1K + BaseOutputPer1K))
            * (10_000 + PlatformFeeBps);
        return (numerator + Denominator - 1) / Denominator;
    }

    /// <summary>What to reserve before running a request: the charge if all <paramref name="maxTokens"/> are produced.
    /// The charge grows with completion tokens, so no request that stops at or before max_tokens costs more.</summary>
    public BigInteger Reservation(long promptTokens, long maxTokens) => Charge(promptTokens, maxTokens);
}
