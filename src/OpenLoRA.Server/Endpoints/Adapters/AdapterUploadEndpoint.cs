using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Auth;
using OpenLoRA.Server.Endpoints.Adapters.Contracts;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// <c>POST /v1/adapters</c>: streams the form to temp files, checks the fields, the claimed hash and the publisher's
/// signature, converts PEFT to GGUF, and hands the GGUF to the publisher (which validates and stores it).
/// </summary>
internal sealed class AdapterUploadEndpoint(
    IAdapterPublisher publisher,
    IModelCatalog catalog,
    PublisherSignatureVerifier verifier,
    PeftUploadConverter peft,
    IOptions<EngineOptions> engine,
    ILogger<AdapterUploadEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var maxWeightsBytes = engine.Value.MaxAdapterBytes;
        var bodyLimit = LiftBodyLimit(context, maxWeightsBytes + UploadLimits.BodySlack);
        using var workspace = new UploadWorkspace(publisher.TempDirectory, logger);
        var form = await UploadFormReader.ReadAsync(context.Request, workspace, maxWeightsBytes, bodyLimit, aborted);
        var request = UploadRequest.From(form, catalog);
        var (weights, peftConfig) = WeightsOf(form);
        if (weights.Sha256 != request.ClaimedSha256)
        {
            throw UploadErrors.Invalid(
                UploadParts.Sha256, $"'sha256' is {request.ClaimedSha256} but the uploaded weights hash to {weights.Sha256}.", "sha256_mismatch");
        }

        var signature = verifier.Verify(
            new SignedFields(request.Signature, request.Timestamp, request.Publisher, UploadParts.Signature, UploadParts.Timestamp, UploadParts.Publisher),
            (signer, timestamp) => PublisherMessages.Upload(
                signer, weights.Sha256, request.Name, request.BaseModel, request.PriceInputText, request.PriceOutputText, timestamp));
        var gguf = peftConfig is null
            ? weights
            : await peft.ConvertAsync(request.BaseModel, weights, peftConfig, workspace, aborted);

        var upload = new AdapterUpload(
            gguf.Path,
            gguf.Sha256,
            request.Name,
            request.BaseModel,
            request.Description,
            request.PriceInputPer1K,
            request.PriceOutputPer1K,
            signature.Publisher,
            signature.SignatureId,
            signature.Expires,
            peftConfig is null ? "gguf" : "peft");
        var adapter = await PublishErrors.RunAsync(() => publisher.PublishAsync(upload, aborted));
        logger.LogInformation(
            "Published adapter {Name} ({Sha256}) on {BaseModel} for {Publisher}", adapter.Name, adapter.Sha256, adapter.BaseModel, adapter.Publisher);
        await JsonResponse.WriteAsync(
            context.Response, StatusCodes.Status201Created, AdapterResponse.From(adapter), ServerJsonContext.Default.AdapterResponse);
    }

    /// <summary>
    /// Raises Kestrel's body limit for this request only (every other route keeps the small global one). A declared
    /// length over it is refused before a byte is read.
    /// </summary>
    private static long LiftBodyLimit(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return context.Request.ContentLength > limit ? throw UploadErrors.BodyTooLarge(limit) : limit;
    }

    /// <summary>The weights file and, for PEFT, its config; exactly one of the two layouts must be sent.</summary>
    private static (UploadedFile Weights, UploadedFile? PeftConfig) WeightsOf(UploadForm form)
    {
        var gguf = form.File(UploadParts.File);
        var safetensors = form.File(UploadParts.PeftWeights);
        var config = form.File(UploadParts.PeftConfig);
        return (gguf, safetensors, config) switch
        {
            ({ } file, null, null) => (file, null),
            (null, { } weights, { } peftConfig) => (weights, peftConfig),
            (null, null, null) => throw UploadErrors.Missing(UploadParts.File),
            (null, null, _) => throw UploadErrors.Missing(UploadParts.PeftWeights),
            (null, _, null) => throw UploadErrors.Missing(UploadParts.PeftConfig),
            _ => throw UploadErrors.Invalid(
                UploadParts.File, $"Send either '{UploadParts.File}' (GGUF) or '{UploadParts.PeftWeights}' with '{UploadParts.PeftConfig}' (PEFT), not both."),
        };
    }
}
