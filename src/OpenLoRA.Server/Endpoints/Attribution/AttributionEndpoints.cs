namespace OpenLoRA.Server.Endpoints.Attribution;

internal static class AttributionEndpoints
{
    /// <summary>Traces, batches and Datanet uploads.</summary>
    public static IEndpointRouteBuilder MapAttributionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/traces/{id}", static context => context.RequestServices.GetRequiredService<TraceEndpoints>().GetTraceAsync(context));
        endpoints.MapGet("/v1/batches/{id}", static context => context.RequestServices.GetRequiredService<TraceEndpoints>().GetBatchAsync(context));
        endpoints.MapPost("/v1/adapters/{id}/datanet", static context => context.RequestServices.GetRequiredService<DatanetUploadEndpoint>().HandleAsync(context));
        return endpoints;
    }
}
