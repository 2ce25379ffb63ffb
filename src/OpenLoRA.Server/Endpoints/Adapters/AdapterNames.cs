using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// What an adapter may be called on this server: <see cref="AdapterNameRule"/> (addressable in URLs, <c>model</c>
/// and listings), and never the name of a base model, which it would shadow.
/// </summary>
internal static class AdapterNames
{
    /// <summary>Null when <paramref name="name"/> is acceptable, otherwise why not.</summary>
    public static string? Check(string name, IModelCatalog catalog) =>
        AdapterNameRule.Check(name)
        ?? (catalog.BaseModels.Any(m => string.Equals(m.Name, name, StringComparison.Ordinal)) ? $"'{name}' is the name of a base model." : null);
}
