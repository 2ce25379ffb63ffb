namespace OpenLoRA.Chain.Clients;

/// <summary>What AttributionRegistry stores per batch; CommittedBlock locates the BatchCommitted log.</summary>
public sealed record BatchInfo(ulong BatchId, byte[] Root, uint Count, byte[] ManifestHash, ulong CommittedBlock);
