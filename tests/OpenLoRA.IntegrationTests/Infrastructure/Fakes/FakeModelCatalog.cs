using System.Security.Cryptography;
using System.Text;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.IntegrationTests.Infrastructure.Fakes;

/// <summary>The names the real tiny models have, so the same tests run against the fake and the real engine.</summary>
internal sealed class FakeModelCatalog : IModelCatalog
{
    public const string BaseModelName = TestModels.BaseModel;

    public const int ContextSize = 256;

    private static readonly DateTimeOffset Created = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="loaded">False gives an empty catalog, as the engine's is while it loads.</param>
    public FakeModelCatalog(bool loaded = true)
    {
        if (!loaded)
        {
            BaseModels = [];
            Adapters = [];
            return;
        }

        var baseModel = new BaseModelInfo(BaseModelName, "models/tiny/tiny-llama.gguf", Hash(BaseModelName), ContextSize, Created);
        BaseModels = [baseModel];
        Adapters = [.. TestModels.Adapters.Select(name =>
            new AdapterInfo(name, Hash(name), BaseModelName, $"models/tiny/adapters/{name}.gguf", 4, 8f, ["attn_q"], 1024, Created))];
    }

    public IReadOnlyList<BaseModelInfo> BaseModels { get; }

    public IReadOnlyList<AdapterInfo> Adapters { get; }

    public ModelTarget? Resolve(string model)
    {
        if (BaseModels.FirstOrDefault(b => b.Name == model) is { } baseModel)
        {
            return new ModelTarget(baseModel, null);
        }

        var at = model.IndexOf("@sha256:", StringComparison.Ordinal);
        var name = at < 0 ? model : model[..at];
        var hash = at < 0 ? null : model[(at + "@sha256:".Length)..];
        var adapter = Adapters.FirstOrDefault(a => a.Name == name && (hash is null || a.Sha256 == hash));
        return adapter is null ? null : new ModelTarget(BaseModels[0], adapter);
    }

    private static string Hash(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
}
