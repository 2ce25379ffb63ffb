using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>A payee's earnings: <see cref="Accrued"/> not yet settled on-chain, <see cref="Settled"/> already credited
/// to them in the escrow by epoch settlements.</summary>
public sealed record PayeeBalance(string Address, BigInteger Accrued, BigInteger Settled);
