using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>One payee's part of one charge, in OPEN base units.</summary>
public sealed record PayeeShare(string Address, PayeeRole Role, BigInteger Amount);
