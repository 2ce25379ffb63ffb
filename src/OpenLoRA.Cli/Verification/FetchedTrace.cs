namespace OpenLoRA.Cli.Verification;

/// <summary>
/// The body of <c>GET /v1/traces/{id}</c>. Only <see cref="Canonical"/> is trusted as the trace: the server's
/// convenience <c>trace</c> object is ignored, since the signature covers the canonical text alone.
/// </summary>
internal sealed record FetchedTrace(
    string Id,
    string Canonical,
    string TraceHash,
    string Signature,
    string Signer,
    int[] CompletionTokenIds,
    string Status,
    FetchedBatch? Batch,
    FetchedChain? Chain);
