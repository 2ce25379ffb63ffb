using System.Globalization;
using OpenLoRA.Engine.Models;
using Microsoft.Extensions.Options;
using OpenLoRA.Billing;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Endpoints.Accounts.Contracts;
using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: base models, then their adapters; an adapter whose price
/// billing cannot charge is left out of the lists and answered with 404 model_unavailable (<see cref="AdapterPriceGuard"/>).
/// </summary>
internal sealed class ModelsEndpoint(
    IModelCatalog catalog, IInferenceBilling billing, IOptions<BillingOptions> billingOptions, AdapterPriceGuard priceGuard)
{
    private const string Owner = "openlora";

    public Task ListAsync(HttpContext context)
    {
        var models = catalog.BaseModels.Select(ToResponse).Concat(priceGuard.Billable(catalog.Adapters).Select(ToResponse)).ToList();
        return JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, new ModelListResponse(models), ServerJsonContext.Default.ModelListResponse);
    }

    /// <summary><c>GET /v1/prices</c>: the same prices as the models list, with the platform fee they include.</summary>
    public Task ListPricesAsync(HttpContext context)
    {
        var prices = catalog.BaseModels.Select(ToResponse).Concat(priceGuard.Billable(catalog.Adapters).Select(ToResponse))
            .Where(m => m.Price is not null)
            .Select(m => new PriceResponse(m.Id, m.Parent, m.Price!.InputPer1K, m.Price.OutputPer1K))
            .ToList();
        return JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            new PriceListResponse("list", billingOptions.Value.PlatformFeeBps, prices),
            ServerJsonContext.Default.PriceListResponse);
    }

    public Task GetAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        var target = catalog.Resolve(id) is { } found
            ? priceGuard.EnsureBillable(found)
            : throw (catalog.NotServedReason(id) is { } reason ? AdapterPriceGuard.Unavailable(id, reason) : ApiException.ModelNotFound(id));
        var model = target.Adapter is { } adapter ? ToResponse(adapter) : ToResponse(target.BaseModel);
        return JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, model, ServerJsonContext.Default.ModelResponse);
    }

    private ModelResponse ToResponse(BaseModelInfo model) =>
        new(model.Name, model.Created.ToUnixTimeSeconds(), Owner, null, model.Sha256, Price(new ModelTarget(model, null)));

    private ModelResponse ToResponse(AdapterInfo adapter) =>
        new(adapter.Name, adapter.Created.ToUnixTimeSeconds(), Owner, adapter.BaseModel, adapter.Sha256,
            catalog.BaseModels.FirstOrDefault(b => b.Name == adapter.BaseModel) is { } baseModel ? Price(new ModelTarget(baseModel, adapter)) : null);

    private ModelPriceResponse Price(ModelTarget target) => new(
        billing.Price(target, 1000, 0).ToString(CultureInfo.InvariantCulture),
        billing.Price(target, 0, 1000).ToString(CultureInfo.InvariantCulture),
        OpenAmount.Currency);
}
