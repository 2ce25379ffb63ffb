namespace OpenLoRA.Server.Endpoints.Attribution.Contracts;

/// <summary>
/// <c>GET /v1/batches/{id}</c>: the Merkle root over the trace hashes in <c>leaves</c> (stored order; the tree sorts
/// its leaves), the range of trace sequence numbers it covers, and the manifest hash (keccak256 of the trace hashes
/// concatenated in stored order).
/// </summary>
internal sealed record BatchResponse(
    string Object,
    long Id,
    string Root,
    int Count,
    long FirstSequence,
    long LastSequence,
    string ManifestHash,
    long SealedAt,
    IReadOnlyList<string> Leaves,
    ChainCommitResponse? Chain);
