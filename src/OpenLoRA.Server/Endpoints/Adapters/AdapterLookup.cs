using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>An adapter by content hash (any case) or by its current name, as <c>/v1/adapters/{id}</c> takes it.</summary>
internal static class AdapterLookup
{
    public static AdapterInfo? Find(IModelCatalog catalog, string id) =>
        catalog.Adapters.FirstOrDefault(a => string.Equals(a.Sha256, id, StringComparison.OrdinalIgnoreCase))
        ?? catalog.Adapters.FirstOrDefault(a => string.Equals(a.Name, id, StringComparison.Ordinal));

    public static string RouteId(HttpContext context) => context.Request.RouteValues["id"] as string ?? "";
}
