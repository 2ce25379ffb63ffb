using System.Text.RegularExpressions;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// What an adapter may be called. Names go into <c>model</c> (so never '@', which starts a <c>@sha256:</c> pin), into
/// URLs and into file listings, so they stay short and plain; and a name never shadows a base model.
/// </summary>
internal static partial class AdapterNames
{
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="name"/> is acceptable, otherwise why not.</summary>
    public static string? Check(string name, IModelCatalog catalog)
    {
        if (!Pattern().IsMatch(name))
        {
            return $"The adapter name must be 1 to {MaxLength} characters of A-Z, a-z, 0-9, '.', '_' and '-'.";
        }

        return catalog.BaseModels.Any(m => string.Equals(m.Name, name, StringComparison.Ordinal))
            ? $"'{name}' is the name of a base model."
            : null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
