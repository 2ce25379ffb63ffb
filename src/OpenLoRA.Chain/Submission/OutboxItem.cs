namespace OpenLoRA.Chain.Submission;

internal sealed record OutboxItem(
    ulong BatchId,
    byte[] Root,
    uint Count,
    byte[] ManifestHash,
    string Uri,
    OutboxState State,
    string? CommittedTransactionHash,
    ulong? CommittedBlock);
