using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Endpoints.Adapters.Contracts;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// <c>GET /v1/adapters</c> and <c>GET /v1/adapters/{id}</c>: every adapter the catalog serves, with its metadata;
/// one whose price billing cannot charge is left out (<see cref="AdapterPriceGuard"/>).
/// </summary>
internal sealed class AdapterListEndpoint(IModelCatalog catalog, AdapterPriceGuard prices)
{
    public Task ListAsync(HttpContext context)
    {
        var adapters = prices.Billable(catalog.Adapters).Select(AdapterResponse.From).ToList();
        return JsonResponse.WriteAsync(
            context.Response, StatusCodes.Status200OK, new AdapterListResponse(adapters), ServerJsonContext.Default.AdapterListResponse);
    }

    public Task GetAsync(HttpContext context)
    {
        var id = AdapterLookup.RouteId(context);
        var adapter = AdapterLookup.Find(catalog, id) ?? throw PublishErrors.NotFound($"No adapter has the id or name '{id}'.", "id");
        if (prices.Problem(adapter) is { } problem)
        {
            throw AdapterPriceGuard.Unavailable(adapter.Name, problem);
        }
        return JsonResponse.WriteAsync(
            context.Response, StatusCodes.Status200OK, AdapterResponse.From(adapter), ServerJsonContext.Default.AdapterResponse);
    }
}
