using OpenLoRA.Engine;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Endpoints.Health;

/// <summary>
/// Ready once every configured base model is in the catalog. Read from configuration rather than the engine's
/// options so the check depends only on the engine's public contract.
/// </summary>
internal sealed class ModelReadiness(IModelCatalog catalog, IConfiguration configuration)
{
    private readonly string[] _configured = configuration
        .GetSection(EngineOptions.SectionName)
        .GetSection(nameof(EngineOptions.BaseModels))
        .GetChildren()
        .Select(model => model[nameof(BaseModelOptions.Name)])
        .OfType<string>()
        .Where(name => name.Length > 0)
        .ToArray();

    // Models are never unloaded, so once ready stays ready and the check stops touching the catalog.
    private volatile bool _ready;

    public bool IsReady => _ready || (_ready = Check());

    private bool Check()
    {
        var loaded = catalog.BaseModels;
        return loaded.Count > 0 && _configured.All(name => loaded.Any(model => model.Name == name));
    }
}
