using System.Collections.Concurrent;
using OpenLoRA.Engine.Models;
using OpenLoRA.Gguf;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// Tensor shapes of each base model, read once from its GGUF header: PEFT conversion needs them for every upload,
/// and a header read of a multi-gigabyte model touches its whole tensor table.
/// </summary>
internal sealed class BaseModelShapesCache(IModelCatalog catalog)
{
    private readonly ConcurrentDictionary<string, Lazy<BaseModelShapes>> _shapes = new(StringComparer.Ordinal);

    /// <summary>Keyed by path as well as name, so a base model reloaded from another file is read again.</summary>
    public BaseModelShapes Get(string baseModel)
    {
        var model = catalog.BaseModels.First(m => string.Equals(m.Name, baseModel, StringComparison.Ordinal));
        return _shapes.GetOrAdd($"{model.Name}\n{model.Path}", static (_, path) => new Lazy<BaseModelShapes>(() => BaseModelShapes.FromFile(path)), model.Path).Value;
    }
}
