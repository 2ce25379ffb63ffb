namespace OpenLoRA.Engine.Models;

/// <summary>
/// Immutable snapshots of the served models, swapped whole so readers never see a half-built catalog. Plain
/// dictionaries, not frozen ones: a snapshot is rebuilt on every upload, and with thousands of adapters the
/// frozen collections' construction cost dominates.
/// </summary>
internal sealed class ModelCatalog : IModelCatalog
{
    private const string PinSeparator = "@sha256:";
    private readonly Lock _writeGate = new();
    private volatile Snapshot _snapshot = new([], []);

    // Names only (never a pin): a request names what it wants, and the reason is for that name.
    private volatile IReadOnlyDictionary<string, string> _notServed = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<BaseModelInfo> BaseModels => _snapshot.BaseModels;

    public IReadOnlyList<AdapterInfo> Adapters => _snapshot.Adapters;

    public void Publish(IReadOnlyList<BaseModelInfo> baseModels, IReadOnlyList<AdapterInfo> adapters)
    {
        lock (_writeGate)
        {
            _snapshot = new Snapshot(baseModels, adapters);
        }
    }

    public string? NotServedReason(string model)
    {
        var pin = model.IndexOf(PinSeparator, StringComparison.Ordinal);
        return _notServed.GetValueOrDefault(pin >= 0 ? model[..pin] : model);
    }

    /// <summary>Records the uploaded adapters found at start that are registered but cannot be served, with why.</summary>
    public void SetNotServed(IReadOnlyDictionary<string, string> reasons)
    {
        lock (_writeGate)
        {
            _notServed = new Dictionary<string, string>(reasons, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Adds an adapter, replacing any adapter with the same name (a new version) or the same hash. Readers see the
    /// old or the new snapshot, never a mix; sequences already running keep the <see cref="AdapterInfo"/> they resolved.
    /// </summary>
    public void UpsertAdapter(AdapterInfo adapter)
    {
        lock (_writeGate)
        {
            var current = _snapshot;
            var adapters = current.Adapters.Where(a => a.Name != adapter.Name && a.Sha256 != adapter.Sha256).Append(adapter).ToList();
            _snapshot = new Snapshot(current.BaseModels, adapters);
            if (_notServed.ContainsKey(adapter.Name))
            {
                // A new version under the name replaces the one that could not be served.
                _notServed = _notServed.Where(e => e.Key != adapter.Name).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Removes the adapter with this hash; returns false when it was not there.</summary>
    public bool RemoveAdapter(string sha256)
    {
        lock (_writeGate)
        {
            var current = _snapshot;
            var adapters = current.Adapters.Where(a => a.Sha256 != sha256).ToList();
            if (adapters.Count == current.Adapters.Count)
            {
                return false;
            }

            _snapshot = new Snapshot(current.BaseModels, adapters);
            return true;
        }
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
            foreach (var model in baseModels)
            {
                EngineMetrics.RegisteredAdapters.WithLabels(model.Name).Set(adapters.Count(a => a.BaseModel == model.Name));
            }

            BaseModels = baseModels;
            Adapters = adapters;
            BaseByName = baseModels.ToDictionary(m => m.Name, StringComparer.Ordinal);
            AdapterByName = adapters.ToDictionary(a => a.Name, StringComparer.Ordinal);
            ByHash = adapters.ToDictionary(a => a.Sha256, StringComparer.Ordinal);
        }

        public IReadOnlyList<BaseModelInfo> BaseModels { get; }

        public IReadOnlyList<AdapterInfo> Adapters { get; }

        public Dictionary<string, BaseModelInfo> BaseByName { get; }

        public Dictionary<string, AdapterInfo> AdapterByName { get; }

        public Dictionary<string, AdapterInfo> ByHash { get; }

        public ModelTarget? Target(AdapterInfo adapter) =>
            BaseByName.TryGetValue(adapter.BaseModel, out var baseModel) ? new ModelTarget(baseModel, adapter) : null;
    }
}
