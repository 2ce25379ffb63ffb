using System.Collections.Frozen;

namespace OpenLoRA.Engine.Models;

/// <summary>Immutable snapshots of the served models, swapped whole so readers never see a half-built catalog.</summary>
internal sealed class ModelCatalog : IModelCatalog
{
    private const string PinSeparator = "@sha256:";
    private volatile Snapshot _snapshot = new([], []);

    public IReadOnlyList<BaseModelInfo> BaseModels => _snapshot.BaseModels;

    public IReadOnlyList<AdapterInfo> Adapters => _snapshot.Adapters;

    public void Publish(IReadOnlyList<BaseModelInfo> baseModels, IReadOnlyList<AdapterInfo> adapters)
    {
        _snapshot = new Snapshot(baseModels, adapters);
    }

    public ModelTarget? Resolve(string model)
    {
        var snapshot = _snapshot;
        var pin = model.IndexOf(PinSeparator, StringComparison.Ordinal);
        if (pin >= 0)
        {
            var name = model[..pin];
            var hash = model[(pin + PinSeparator.Length)..].ToLowerInvariant();
            return snapshot.ByHash.TryGetValue(hash, out var pinned) && pinned.Name == name
                ? snapshot.Target(pinned)
                : null;
        }

        if (snapshot.BaseByName.TryGetValue(model, out var baseModel))
        {
            return new ModelTarget(baseModel, null);
        }

        return snapshot.AdapterByName.TryGetValue(model, out var adapter) ? snapshot.Target(adapter) : null;
    }

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<BaseModelInfo> baseModels, IReadOnlyList<AdapterInfo> adapters)
        {
            BaseModels = baseModels;
            Adapters = adapters;
            BaseByName = baseModels.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
            AdapterByName = adapters.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
            ByHash = adapters.ToFrozenDictionary(a => a.Sha256, StringComparer.Ordinal);
        }

        public IReadOnlyList<BaseModelInfo> BaseModels { get; }

        public IReadOnlyList<AdapterInfo> Adapters { get; }

        public FrozenDictionary<string, BaseModelInfo> BaseByName { get; }

        public FrozenDictionary<string, AdapterInfo> AdapterByName { get; }

        public FrozenDictionary<string, AdapterInfo> ByHash { get; }

        public ModelTarget? Target(AdapterInfo adapter) =>
            BaseByName.TryGetValue(adapter.BaseModel, out var baseModel) ? new ModelTarget(baseModel, adapter) : null;
    }
}
