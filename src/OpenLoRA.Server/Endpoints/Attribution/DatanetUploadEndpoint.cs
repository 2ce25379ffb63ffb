using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenLoRA.Attribution.Datanets;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Auth;
using OpenLoRA.Server.Endpoints.Adapters;
using OpenLoRA.Server.Endpoints.Attribution.Contracts;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Attribution;

/// <summary>
/// <c>POST /v1/adapters/{id}/datanet</c>: the adapter's publisher attaches the Datanet it was trained on. The body is
/// JSONL (<c>{"id","contributor","text"}</c> per line), signed in the <c>OpenLoRA-Signature</c>,
/// <c>OpenLoRA-Timestamp</c> and <c>OpenLoRA-Publisher</c> headers over the canonical datanet message (publisher,
/// chain id, adapter sha256, body sha256, timestamp); the signature is spent in the transaction that saves the row.
/// The body is streamed to disk while hashed, parsed, tokenized with the base model's tokenizer and indexed; the
/// files are content-addressed and the database row is written last, so a failure leaves the old Datanet in place.
/// </summary>
internal sealed class DatanetUploadEndpoint(
    IModelCatalog catalog,
    IInferenceService inference,
    DatanetStore datanets,
    PublisherSignatureVerifier verifier,
    IOptions<AttributionServerOptions> options,
    TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var id = AdapterLookup.RouteId(context);
        var adapter = AdapterLookup.Find(catalog, id)
            ?? throw ApiException.NotFound($"No adapter '{id}'.", "id", "adapter_not_found");
        var limit = options.Value.MaxDatanetBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var temporary = Path.Combine(datanets.Directory, $"upload-{Guid.NewGuid():N}.tmp");
        try
        {
            var sha256 = await ReceiveAsync(context, temporary, limit);
            var signature = verifier.Verify(
                SignedFields.FromHeaders(context.Request.Headers), (signer, timestamp) => PublisherMessages.DatanetUpload(signer, adapter.Sha256, sha256, timestamp));
            if (adapter.Publisher is null || !string.Equals(adapter.Publisher, signature.Publisher, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiException.Forbidden($"Only the publisher of '{adapter.Name}' can attach its Datanet.", null, "not_publisher");
            }

            var row = Index(adapter, temporary, sha256, signature.Publisher);
            File.Move(temporary, datanets.JsonlPath(sha256), overwrite: true);
            if (!datanets.Save(row, new UsedSignature(signature.SignatureId, signature.Expires), time.GetUtcNow()))
            {
                throw ApiException.Unauthorized("This signature was already used.", SignedFields.SignatureHeader, "signature_replayed");
            }

            await JsonResponse.WriteAsync(
                context.Response,
                StatusCodes.Status201Created,
                new DatanetResponse("datanet", row.AdapterSha256, row.DatanetSha256, row.IndexRoot, row.Records, row.Tokens, row.Contributors, row.Publisher, row.CreatedUnixMs / 1000),
                ServerJsonContext.Default.DatanetResponse);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private DatanetRow Index(AdapterInfo adapter, string jsonl, string sha256, string publisher)
    {
        IReadOnlyList<DatanetRecord> records;
        try
        {
            using var stream = File.OpenRead(jsonl);
            records = DatanetJsonlParser.Parse(stream);
        }
        catch (DatanetFormatException ex)
        {
            throw ApiException.InvalidRequest(ex.Message, "body", "invalid_datanet");
        }

        if (records.Count == 0)
        {
            throw ApiException.InvalidRequest("The Datanet has no records.", "body", "invalid_datanet");
        }

        var baseModel = catalog.BaseModels.First(b => b.Name == adapter.BaseModel);
        var tokenized = new List<TokenizedRecord>(records.Count);
        foreach (var record in records)
        {
            var tokens = inference.TokenizeDatanetText(baseModel, record.Text);
            if (tokens.Length == 0)
            {
                throw ApiException.InvalidRequest($"Datanet record '{record.Id}' has no tokens.", "body", "invalid_datanet");
            }

            tokenized.Add(new TokenizedRecord(record.Id, record.Contributor, tokens));
        }

        var staging = Path.Combine(datanets.Directory, $"index-{Guid.NewGuid():N}.tmp");
        try
        {
            var summary = DatanetIndexWriter.Write(staging, tokenized);
            var final = datanets.IndexPath(summary.Root);
            if (!File.Exists(final))
            {
                File.Move(staging, final);
            }

            return new DatanetRow(
                adapter.Sha256,
                sha256,
                summary.Root,
                summary.RecordCount,
                summary.TokenCount,
                records.Select(r => r.Contributor).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                publisher,
                time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        finally
        {
            File.Delete(staging);
        }
    }

    private static async Task<string> ReceiveAsync(HttpContext context, string path, long limit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw TooLarge(limit);
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
        }

        await file.FlushAsync(context.RequestAborted);
        file.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ApiException TooLarge(long limit) =>
        ApiException.PayloadTooLarge($"A Datanet may be at most {limit} bytes (OpenLoRA:Attribution:MaxDatanetBytes).", "body", "datanet_too_large");
}
