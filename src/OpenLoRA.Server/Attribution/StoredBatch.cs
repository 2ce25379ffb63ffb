namespace OpenLoRA.Server.Attribution;

/// <summary>A sealed Merkle batch: its root over the trace hashes of sequence numbers [FirstSequence, LastSequence].</summary>
internal sealed record StoredBatch(long Id, string Root, int Count, long FirstSequence, long LastSequence, string ManifestHash, long SealedUnixMs);
