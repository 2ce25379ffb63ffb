using System.Collections.Concurrent;
using OpenLoRA.Engine.Models;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// Tensor shapes of each base model, parsed once from its GGUF header. The set of base models is fixed for the
/// process, so a plain dictionary is the whole cache; Lazy makes a burst of first uploads parse the header once.
/// </summary>
internal sealed class BaseModelShapesCache
{
    private readonly ConcurrentDictionary<string, Lazy<BaseModelShapes>> _byPath = new(StringComparer.Ordinal);

    public BaseModelShapes Get(BaseModelInfo model)
    {
        var shapes = _byPath.GetOrAdd(model.Path, path => new Lazy<BaseModelShapes>(() => BaseModelShapes.FromFile(path)));
        try
        {
            return shapes.Value;
        }
        catch
        {
            // A Lazy keeps its exception; drop it so a passing I/O error does not refuse every later upload.
            _byPath.TryRemove(KeyValuePair.Create(model.Path, shapes));
            throw;
        }
    }
}
