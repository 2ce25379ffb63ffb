using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Server.Auth;
using OpenLoRA.Server.Endpoints.Adapters.Contracts;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// <c>DELETE /v1/adapters/{id}</c>, signed by the adapter's publisher in the <c>OpenLoRA-Signature</c> and
/// <c>OpenLoRA-Timestamp</c> headers over the canonical delete message for the id exactly as in the URL.
/// </summary>
internal sealed class AdapterDeleteEndpoint(IAdapterPublisher publisher, PublisherSignatureVerifier verifier)
{
    public const string SignatureHeader = "OpenLoRA-Signature";
    public const string TimestampHeader = "OpenLoRA-Timestamp";

    public async Task HandleAsync(HttpContext context)
    {
        var id = AdapterLookup.RouteId(context);
        var headers = context.Request.Headers;
        var signature = verifier.Verify(
            headers[SignatureHeader].ToString(),
            headers[TimestampHeader].ToString(),
            timestamp => PublisherMessages.Delete(id, timestamp),
            SignatureHeader,
            TimestampHeader);

        var deletion = new AdapterDeletion(id, signature.Publisher, signature.SignatureId, signature.Expires);
        var deleted = await PublishErrors.RunAsync(() => publisher.DeleteAsync(deletion, context.RequestAborted));

        await JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            new AdapterDeletedResponse(deleted.Sha256, deleted.Name, Deleted: true),
            ServerJsonContext.Default.AdapterDeletedResponse);
    }
}
