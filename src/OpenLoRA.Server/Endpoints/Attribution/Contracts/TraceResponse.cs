using System.Text.Json;

namespace OpenLoRA.Server.Endpoints.Attribution.Contracts;

/// <summary>
/// <c>GET /v1/traces/{id}</c>. <c>canonical</c> is the exact signed text (its keccak256 is <c>trace_hash</c>);
/// <c>trace</c> is the same object parsed, for reading. <c>completion_token_ids</c> lets a validator re-run the
/// attribution (their sha256 is the trace's <c>generatedTokensHash</c>).
/// </summary>
internal sealed record TraceResponse(
    string Object,
    string Id,
    string Canonical,
    JsonElement Trace,
    string TraceHash,
    string Signature,
    string Signer,
    IReadOnlyList<int> CompletionTokenIds,
    string Status,
    TraceBatchResponse? Batch,
    ChainCommitResponse? Chain);
