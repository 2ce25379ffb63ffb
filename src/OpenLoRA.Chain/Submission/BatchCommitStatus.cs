namespace OpenLoRA.Chain.Submission;

/// <summary>
/// A batch's place in the proof submitter's outbox: <c>pending</c> (no transaction yet), <c>sent</c> (signed and
/// broadcast, awaiting its receipt and confirmations; the hash is the latest attempt's), <c>committed</c> (the hash
/// and block of the transaction that committed it), or <c>conflict</c> (the chain holds another root for this id).
/// </summary>
public sealed record BatchCommitStatus(string State, string? TransactionHash, ulong? Block);
