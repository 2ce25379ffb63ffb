namespace OpenLoRA.Server.Attribution;

/// <summary>A signed trace as stored: its canonical JSON, hash, signature, generated tokens and batch (if sealed).</summary>
internal sealed record StoredTrace(
    long Sequence,
    string Id,
    string TraceHash,
    string Canonical,
    string Signature,
    string Signer,
    int[] CompletionTokenIds,
    long CreatedUnixMs,
    long? BatchId);
