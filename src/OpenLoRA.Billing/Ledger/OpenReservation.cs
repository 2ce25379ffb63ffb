using System.Numerics;
using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Billing.Ledger;

/// <summary>A reservation still open at start, handed to the recovery rule. <see cref="Quote"/>,
/// <see cref="PromptTokens"/> and <see cref="MaxTokens"/> are set when it was reserved from a quote.</summary>
public sealed record OpenReservation(
    string RequestId,
    string Address,
    BigInteger Amount,
    DateTimeOffset CreatedAt,
    PriceQuote? Quote,
    long? PromptTokens,
    long? MaxTokens);
