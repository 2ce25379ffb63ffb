using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>An amount held against an account's balance while its request runs.</summary>
public sealed record Reservation(string RequestId, string Address, BigInteger Amount, DateTimeOffset CreatedAt);
