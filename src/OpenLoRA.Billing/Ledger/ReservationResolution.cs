using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>What the crash-recovery rule decided for one open reservation.</summary>
public sealed record ReservationResolution
{
    private ReservationResolution(ResolutionKind kind, long promptTokens, long completionTokens, BigInteger amount,
        string? traceId, SplitRecipients? split)
    {
        Kind = kind;
        PromptTokens = promptTokens;
        CompletionTokens = completionTokens;
        Amount = amount;
        TraceId = traceId;
        Split = split;
    }

    public ResolutionKind Kind { get; }

    public long PromptTokens { get; }

    public long CompletionTokens { get; }

    public BigInteger Amount { get; }

    public string? TraceId { get; }

    public SplitRecipients? Split { get; }

    public static ReservationResolution Release() => new(ResolutionKind.Release, 0, 0, BigInteger.Zero, null, null);

    /// <summary>Charge <paramref name="promptTokens"/> and the <paramref name="deliveredCompletionTokens"/> that reached
    /// the client, priced by the quote stored with the reservation.</summary>
    public static ReservationResolution Delivered(long promptTokens, long deliveredCompletionTokens, string? traceId,
        SplitRecipients split)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(deliveredCompletionTokens);
        ArgumentNullException.ThrowIfNull(split);
        return new(ResolutionKind.Delivered, promptTokens, deliveredCompletionTokens, BigInteger.Zero, traceId, split);
    }

    public static ReservationResolution Charge(BigInteger amount, string? traceId, SplitRecipients split)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        ArgumentNullException.ThrowIfNull(split);
        return new(ResolutionKind.Charge, 0, 0, amount, traceId, split);
    }
}
