using System.Numerics;

namespace OpenLoRA.Billing.Epochs;

/// <summary>One debit (account) or credit (payee) of an epoch settlement, in OPEN base units.</summary>
public sealed record EpochAmount(string Address, BigInteger Amount);
