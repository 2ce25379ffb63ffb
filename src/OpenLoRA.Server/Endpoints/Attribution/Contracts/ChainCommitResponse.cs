namespace OpenLoRA.Server.Endpoints.Attribution.Contracts;

/// <summary>
/// A batch's commitment transaction: <c>status</c> is <c>pending</c> (queued, not signed yet), <c>sent</c>
/// (broadcast, awaiting confirmations; <c>tx_hash</c> is the latest attempt), <c>committed</c> (final, with its
/// block) or <c>conflict</c> (the registry holds another root for this batch id).
/// </summary>
internal sealed record ChainCommitResponse(string Status, string? TxHash, ulong? Block);
