using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Endpoints.Health;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// Turns a request's <c>model</c> into a target, or the right error: 404 model_unavailable, with the reason, for an
/// adapter that is registered but cannot be served.
/// </summary>
internal sealed class ModelResolver(IModelCatalog catalog, ModelReadiness readiness, AdapterPriceGuard prices)
{
    public ModelTarget Resolve(string model)
    {
        if (catalog.Resolve(model) is { } target)
        {
            return prices.EnsureBillable(target);
        }

        if (catalog.NotServedReason(model) is { } reason)
        {
            throw AdapterPriceGuard.Unavailable(model, reason);
        }

        // While loading, "not found" may only mean "not yet": say so, so clients retry instead of giving up.
        throw readiness.IsReady ? ApiException.ModelNotFound(model) : ApiException.ModelsLoading();
    }
}
