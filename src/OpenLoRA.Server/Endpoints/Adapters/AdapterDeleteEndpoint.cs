using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Server.Auth;
using OpenLoRA.Server.Endpoints.Adapters.Contracts;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// <c>DELETE /v1/adapters/{id}</c>, signed by the adapter's publisher (declared in <c>OpenLoRA-Publisher</c>) in the
/// <c>OpenLoRA-Signature</c> and <c>OpenLoRA-Timestamp</c> headers over the canonical delete message for the id
/// exactly as in the URL.
/// </summary>
internal sealed class AdapterDeleteEndpoint(IAdapterPublisher publisher, PublisherSignatureVerifier verifier)
{
    public async Task HandleAsync(HttpContext context)
    {
        var id = AdapterLookup.RouteId(context);
        var signature = verifier.Verify(
            SignedFields.FromHeaders(context.Request.Headers), (signer, timestamp) => PublisherMessages.Delete(signer, id, timestamp));

        var deletion = new AdapterDeletion(id, signature.Publisher, signature.SignatureId, signature.Expires);
        var deleted = await PublishErrors.RunAsync(() => publisher.DeleteAsync(deletion, context.RequestAborted));

        await JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            new AdapterDeletedResponse(deleted.Sha256, deleted.Name, Deleted: true),
            ServerJsonContext.Default.AdapterDeletedResponse);
    }
}
