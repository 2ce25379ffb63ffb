using System.Numerics;

namespace OpenLoRA.Chain.Clients;

/// <summary>A decoded InferenceEscrow.Deposited log.</summary>
public sealed record DepositedEvent(string Account, BigInteger Amount, BigInteger Balance, string TransactionHash, ulong BlockNumber, ulong LogIndex);
