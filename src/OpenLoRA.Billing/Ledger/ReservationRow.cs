using System.Numerics;
using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Billing.Ledger;

/// <summary>One row of <c>billing_reservations</c>. <see cref="State"/> is "open", "settled" or "released".</summary>
internal sealed record ReservationRow(
    string RequestId,
    string Address,
    BigInteger Amount,
    string State,
    long? PromptTokens,
    long? MaxTokens,
    PriceQuote? Quote,
    DateTimeOffset CreatedAt)
{
    public const string Open = "open";
    public const string Settled = "settled";
    public const string Released = "released";

    public OpenReservation ToOpenReservation() => new(RequestId, Address, Amount, CreatedAt, Quote, PromptTokens, MaxTokens);
}
