using Microsoft.AspNetCore.Mvc;
using OpenLoRA.Server.Endpoints.Adapters.Contracts;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.OpenApi;

namespace OpenLoRA.Server.Endpoints.Adapters;

internal static class AdapterEndpoints
{
    private const string Json = "application/json";

    /// <summary>Adapter publishing under <c>/v1/adapters</c>.</summary>
    public static IEndpointRouteBuilder MapAdapterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var adapters = endpoints.MapGroup("/v1/adapters").WithTags("Adapters");

        // The handlers take the HttpContext and write their own bodies; the metadata below is for the OpenAPI document.
        adapters.MapPost("", static (HttpContext context, [FromServices] AdapterUploadEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("UploadAdapter")
            .WithSummary("Publish an adapter (GGUF, or PEFT converted on upload)")
            .WithDescription("A signed multipart/form-data upload (fields: name, base_model, price_input_per_1k, price_output_per_1k, sha256, timestamp, signature, description; parts: file, or adapter_model.safetensors + adapter_config.json): the file's sha256 and the fields are signed by the publisher's key. The adapter is validated against its base model before it is registered. The content type is not declared as route metadata on purpose: routing would answer a wrong one with a bare 415, where the handler answers 400 invalid_multipart in OpenAI's error shape.")
            .Produces<AdapterResponse>(StatusCodes.Status201Created, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status409Conflict, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status413PayloadTooLarge, Json);
        adapters.MapGet("", static (HttpContext context, [FromServices] AdapterListEndpoint endpoint) => endpoint.ListAsync(context))
            .WithName("ListAdapters")
            .WithSummary("Registered adapters")
            .Produces<AdapterListResponse>(StatusCodes.Status200OK, Json);
        adapters.MapGet("/{id}", static (HttpContext context, [FromServices] AdapterListEndpoint endpoint) => endpoint.GetAsync(context))
            .WithName("RetrieveAdapter")
            .WithSummary("One adapter, by content hash or name")
            .Produces<AdapterResponse>(StatusCodes.Status200OK, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, Json);
        adapters.MapDelete("/{id}", static (HttpContext context, [FromServices] AdapterDeleteEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithName("DeleteAdapter")
            .WithSummary("Unregister an uploaded adapter (signed by its publisher)")
            .Produces<AdapterDeletedResponse>(StatusCodes.Status200OK, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status403Forbidden, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, Json);
        return endpoints;
    }
}
