using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>One charge as the account sees it; <see cref="Epoch"/> is null until the charge is in a closed epoch.</summary>
public sealed record ChargeRecord(string RequestId, BigInteger Amount, string? TraceId, DateTimeOffset At, long? Epoch);
