using System.Globalization;
using System.Text.Json;
using OpenLoRA.Attribution.Merkle;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Chain;
using OpenLoRA.Server.Endpoints.Attribution.Contracts;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Attribution;

/// <summary><c>GET /v1/traces/{id}</c> and <c>GET /v1/batches/{id}</c>: what a validator needs to check a trace.</summary>
internal sealed class TraceEndpoints(TraceStore store, IBatchCommitLookup chain)
{
    public async Task GetTraceAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        var trace = store.FindTrace(id.ToLowerInvariant())
            ?? throw ApiException.NotFound($"No trace '{id}' (traces are recorded a moment after their response ends).", "id", "trace_not_found");
        TraceBatchResponse? batch = null;
        ChainCommitResponse? commit = null;
        if (trace.BatchId is { } batchId && store.FindBatch(batchId) is { } stored)
        {
            commit = await CommitAsync(batchId, context.RequestAborted);
            var tree = MerkleTree.Build(store.BatchTraceHashes(batchId));
            var hash = Convert.FromHexString(trace.TraceHash.AsSpan(2));
            batch = new TraceBatchResponse(
                batchId,
                stored.Root,
                Hex(MerkleTree.LeafHash(hash)),
                tree.GetProof(hash).Select(Hex).ToArray());
        }

        using var parsed = JsonDocument.Parse(trace.Canonical);
        var response = new TraceResponse(
            "attribution.trace",
            trace.Id,
            trace.Canonical,
            parsed.RootElement.Clone(),
            trace.TraceHash,
            trace.Signature,
            trace.Signer,
            trace.CompletionTokenIds,
            batch is null ? "pending" : commit?.Status == "committed" ? "committed" : "batched",
            batch,
            commit);
        await JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, response, ServerJsonContext.Default.TraceResponse);
    }

    public async Task GetBatchAsync(HttpContext context)
    {
        var text = context.Request.RouteValues["id"] as string ?? "";
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw ApiException.InvalidRequest($"A batch id is a non-negative integer, not '{text}'.", "id", "invalid_value");
        }

        var batch = store.FindBatch(id) ?? throw ApiException.NotFound($"No batch {id}.", "id", "batch_not_found");
        await JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, await ToResponseAsync(batch, context.RequestAborted), ServerJsonContext.Default.BatchResponse);
    }

    public async Task ListBatchesAsync(HttpContext context)
    {
        var limit = 10;
        if (context.Request.Query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            throw ApiException.InvalidRequest("'limit' must be an integer from 1 to 100.", "limit", "invalid_value");
        }

        var batches = new List<BatchResponse>();
        foreach (var batch in store.LatestBatches(limit))
        {
            batches.Add(await ToResponseAsync(batch, context.RequestAborted));
        }

        await JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, new BatchListResponse("list", batches), ServerJsonContext.Default.BatchListResponse);
    }

    private async Task<BatchResponse> ToResponseAsync(StoredBatch batch, CancellationToken cancellationToken)
    {
        var id = batch.Id;
        return new BatchResponse(
            "attribution.batch",
            batch.Id,
            batch.Root,
            batch.Count,
            batch.FirstSequence,
            batch.LastSequence,
            batch.ManifestHash,
            batch.SealedUnixMs / 1000,
            store.BatchTraceHashes(id),
            await CommitAsync(id, cancellationToken));
    }

    private async Task<ChainCommitResponse?> CommitAsync(long batchId, CancellationToken cancellationToken) =>
        await chain.GetAsync(batchId, cancellationToken) is { } status
            ? new ChainCommitResponse(status.State, status.TransactionHash, status.Block)
            : null;

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
