using System.Numerics;

namespace OpenLoRA.Chain.Submission;

/// <summary>One signed commitBatch transaction; fee bumps add attempts on the same nonce, and any of them may be
/// the one that gets mined.</summary>
internal sealed record OutboxAttempt(
    ulong BatchId,
    ulong Nonce,
    string TransactionHash,
    string RawTransaction,
    BigInteger GasLimit,
    BigInteger MaxFeePerGas,
    BigInteger MaxPriorityFeePerGas,
    DateTimeOffset SentAt);
