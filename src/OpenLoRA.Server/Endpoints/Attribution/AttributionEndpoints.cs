using Microsoft.AspNetCore.Mvc;
using OpenLoRA.Server.Endpoints.Attribution.Contracts;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.Attribution;

internal static class AttributionEndpoints
{
    private const string Json = "application/json";

    /// <summary>Traces, batches and Datanet uploads (typed handlers, so they are in the OpenAPI document).</summary>
    public static IEndpointRouteBuilder MapAttributionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/traces/{id}", static (HttpContext context, [FromServices] TraceEndpoints endpoint) => endpoint.GetTraceAsync(context))
            .WithTags("Attribution")
            .WithName("RetrieveTrace")
            .WithSummary("A response's signed attribution trace, its Merkle proof and its on-chain commitment")
            .Produces<TraceResponse>(StatusCodes.Status200OK, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, Json);
        endpoints.MapGet("/v1/batches", static (HttpContext context, [FromServices] TraceEndpoints endpoint) => endpoint.ListBatchesAsync(context))
            .WithTags("Attribution")
            .WithName("ListBatches")
            .WithSummary("The newest Merkle batches (?limit=, 1 to 100, default 10), newest first")
            .Produces<BatchListResponse>(StatusCodes.Status200OK, Json);
        endpoints.MapGet("/v1/batches/{id}", static (HttpContext context, [FromServices] TraceEndpoints endpoint) => endpoint.GetBatchAsync(context))
            .WithTags("Attribution")
            .WithName("RetrieveBatch")
            .WithSummary("A Merkle batch of traces: root, leaves, manifest hash and commitment")
            .Produces<BatchResponse>(StatusCodes.Status200OK, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, Json);
        endpoints.MapPost("/v1/adapters/{id}/datanet", static (HttpContext context, [FromServices] DatanetUploadEndpoint endpoint) => endpoint.HandleAsync(context))
            .WithTags("Attribution")
            .WithName("UploadDatanet")
            .WithSummary("Attach the Datanet an adapter was trained on (JSONL, signed by the adapter's publisher)")
            .WithDescription("The body is JSONL, one {\"id\",\"contributor\",\"text\"} record per line, in any content type (application/jsonl, application/x-ndjson, text/plain).")
            .Produces<DatanetResponse>(StatusCodes.Status201Created, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status403Forbidden, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, Json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status413PayloadTooLarge, Json);
        return endpoints;
    }
}
