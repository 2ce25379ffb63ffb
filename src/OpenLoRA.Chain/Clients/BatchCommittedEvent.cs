namespace OpenLoRA.Chain.Clients;

/// <summary>A decoded AttributionRegistry.BatchCommitted log.</summary>
public sealed record BatchCommittedEvent(
    ulong BatchId,
    byte[] Root,
    uint Count,
    byte[] ManifestHash,
    string Uri,
    string Submitter,
    string TransactionHash,
    ulong BlockNumber);
