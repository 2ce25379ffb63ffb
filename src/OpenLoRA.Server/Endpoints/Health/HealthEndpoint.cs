using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Health;

internal static class HealthEndpoint
{
    /// <summary><c>GET /health</c>: 200 when the models are loaded, 503 while they load (for probes and test fixtures).</summary>
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", static (HttpContext context, ModelReadiness readiness) => readiness.IsReady
            ? JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, new HealthResponse("ok"), ServerJsonContext.Default.HealthResponse)
            : JsonResponse.WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable, new HealthResponse("loading"), ServerJsonContext.Default.HealthResponse))
            .WithTags("Operations")
            .WithName("Health")
            .WithSummary("Readiness: 200 once the models are loaded, 503 while they load")
            .Produces<HealthResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable, "application/json");
        return endpoints;
    }
}
