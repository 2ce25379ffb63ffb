using System.Numerics;

namespace OpenLoRA.Server.Billing;

/// <summary>A deposit the ledger credited: its transaction, log index, account and amount.</summary>
internal sealed record CreditedDeposit(string TransactionHash, long LogIndex, string Address, BigInteger Amount);
