namespace OpenLoRA.Server.Endpoints.Adapters;

internal static class AdapterEndpoints
{
    /// <summary>Adapter publishing under <c>/v1/adapters</c>.</summary>
    public static IEndpointRouteBuilder MapAdapterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var adapters = endpoints.MapGroup("/v1/adapters");
        adapters.MapPost("", static context => context.RequestServices.GetRequiredService<AdapterUploadEndpoint>().HandleAsync(context));
        adapters.MapGet("", static context => context.RequestServices.GetRequiredService<AdapterListEndpoint>().ListAsync(context));
        adapters.MapGet("/{id}", static context => context.RequestServices.GetRequiredService<AdapterListEndpoint>().GetAsync(context));
        adapters.MapDelete("/{id}", static context => context.RequestServices.GetRequiredService<AdapterDeleteEndpoint>().HandleAsync(context));
        return endpoints;
    }
}
