using OpenLoRA.Engine.Models;
using OpenLoRA.Server.Endpoints.Health;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>Turns a request's <c>model</c> into a target, or the right error.</summary>
internal sealed class ModelResolver(IModelCatalog catalog, ModelReadiness readiness)
{
    public ModelTarget Resolve(string model)
    {
        if (catalog.Resolve(model) is { } target)
        {
            return target;
        }

        // While loading, "not found" may only mean "not yet": say so, so clients retry instead of giving up.
        throw readiness.IsReady ? ApiException.ModelNotFound(model) : ApiException.ModelsLoading();
    }
}
