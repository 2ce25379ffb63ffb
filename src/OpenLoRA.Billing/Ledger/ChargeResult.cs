using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>
/// A settled request. <see cref="Charged"/> is what the account paid: the requested charge, capped at the
/// reservation (<see cref="Capped"/>). <see cref="Shares"/> sum to <see cref="Charged"/> exactly.
/// <see cref="AlreadySettled"/> is true when this call found the request settled before and changed nothing.
/// </summary>
public sealed record ChargeResult(
    string RequestId,
    string Address,
    BigInteger Reserved,
    BigInteger Requested,
    BigInteger Charged,
    string? TraceId,
    IReadOnlyList<PayeeShare> Shares,
    bool AlreadySettled)
{
    public bool Capped => Requested > Charged;
}
