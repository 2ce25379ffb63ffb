using OpenLoRA.Chain.Health;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Health;

internal static class HealthEndpoint
{
    /// <summary>
    /// <c>GET /health</c>: 503 while the models load; then 200, with status <c>ok</c>, or <c>degraded</c> and one detail
    /// per contradiction between the chain and the server's state (the server still serves: inference does not depend
    /// on it, and a probe that failed would only restart a server whose outbox or ledger needs a person).
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", static (HttpContext context, ModelReadiness readiness) =>
            {
                if (!readiness.IsReady)
                {
                    return JsonResponse.WriteAsync(
                        context.Response, StatusCodes.Status503ServiceUnavailable, new HealthResponse("loading"), ServerJsonContext.Default.HealthResponse);
                }

                var conditions = context.RequestServices.GetService<ChainHealth>()?.Conditions ?? [];
                var response = conditions.Count == 0
                    ? new HealthResponse("ok")
                    : new HealthResponse("degraded", [.. conditions.Select(c => new HealthDetail("chain." + c.Component, c.Kind, c.Message, c.Since))]);
                return JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, response, ServerJsonContext.Default.HealthResponse);
            })
            .WithTags("Operations")
            .WithName("Health")
            .WithSummary("Readiness: 200 once the models are loaded (status ok, or degraded with details), 503 while they load")
            .Produces<HealthResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable, "application/json");
        return endpoints;
    }
}
