namespace OpenLoRA.Engine.Models;

/// <summary>Base models and adapters the server can serve, and resolution of a request's <c>model</c> string.</summary>
public interface IModelCatalog
{
    IReadOnlyList<BaseModelInfo> BaseModels { get; }

    IReadOnlyList<AdapterInfo> Adapters { get; }

    /// <summary>
    /// Resolves a base model name, an adapter name, or <c>name@sha256:&lt;hex&gt;</c> (an exact adapter).
    /// Returns null when nothing matches.
    /// </summary>
    ModelTarget? Resolve(string model);

    /// <summary>
    /// Why an uploaded adapter of this name is registered but not served (its registry row cannot be read, its file
    /// is missing, ...), so a request for it gets that reason instead of "does not exist"; null otherwise.
    /// </summary>
    string? NotServedReason(string model) => null;
}
