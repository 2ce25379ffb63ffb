using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>Start-up: the registry's schema, the store's garbage, and which uploaded adapters can be served.</summary>
internal sealed partial class AdapterPublisher
{
    /// <summary>
    /// Runs once, before the catalog is first published: migrates the registry, deletes temp files and store files
    /// without a live row, and returns the live uploaded adapters that can be served next to the configured ones.
    /// A live adapter is skipped (it stays registered) when its base model is not configured, its name or content
    /// is taken by a configured adapter or a base model, its rank is above the backend's slot rank (LoraSlotRank was
    /// lowered since it was published), or its file is missing or of the wrong size; a row that cannot be read at all
    /// is skipped too, logged as an error and counted, and its file kept. The catalog learns why each is not served,
    /// so a request for one gets that reason.
    /// </summary>
    public IReadOnlyList<AdapterInfo> LoadAndCollectGarbage(IReadOnlyList<BaseModelInfo> baseModels, IReadOnlyList<AdapterInfo> configuredAdapters)
    {
        _registry.Migrate();
        var notServed = new Dictionary<string, string>(StringComparer.Ordinal);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var live = _registry.LoadLive(_store.PathOf, (name, sha256, problem) =>
        {
            LogUnreadableRow(name, sha256, problem);
            EngineMetrics.UnreadableAdapterRows.Inc();
            notServed[name] = "its registry row cannot be read";
            keep.Add(sha256);
        });
        keep.UnionWith(live.Select(a => a.Sha256));
        _store.CollectGarbage(keep);
        var models = baseModels.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var names = configuredAdapters.Select(a => a.Name).Concat(models).ToHashSet(StringComparer.Ordinal);
        var hashes = configuredAdapters.Select(a => a.Sha256).ToHashSet(StringComparer.Ordinal);
        var servable = new List<AdapterInfo>(live.Count);
        foreach (var adapter in live)
        {
            var baseModel = baseModels.FirstOrDefault(m => m.Name == adapter.BaseModel);
            var reason = baseModel is null ? $"its base model {adapter.BaseModel} is not configured"
                : names.Contains(adapter.Name) ? "its name is taken by a configured adapter or a base model"
                : hashes.Contains(adapter.Sha256) ? "its content is served as a configured adapter"
                : AdapterRankLimit.Check(baseModel, adapter.Rank) ?? FileProblem(adapter);
            if (reason is null)
            {
                servable.Add(adapter);
            }
            else
            {
                LogNotServed(adapter.Name, adapter.Sha256, reason);
                notServed[adapter.Name] = reason;
            }
        }

        _catalog.SetNotServed(notServed);

        _started = true;
        LogLoaded(servable.Count, live.Count);
        return servable;
    }

    private static string? FileProblem(AdapterInfo adapter)
    {
        var file = new FileInfo(adapter.Path);
        return !file.Exists ? $"its file {adapter.Path} is missing"
            : file.Length != adapter.SizeBytes ? $"its file {adapter.Path} has {file.Length} bytes, not the {adapter.SizeBytes} registered"
            : null;
    }

    private void EnsureStarted()
    {
        if (!_started)
        {
            throw new InvalidOperationException($"{nameof(AdapterPublisher)} is used before {nameof(LoadAndCollectGarbage)} ran at start.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Uploaded adapter {Name} ({Sha256}) is not served: {Reason}")]
    private partial void LogNotServed(string name, string sha256, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Uploaded adapter {Name} ({Sha256}) is not served: its registry row cannot be read ({Problem}); its publisher can upload it again")]
    private partial void LogUnreadableRow(string name, string sha256, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Servable} of {Live} live uploaded adapters are served")]
    private partial void LogLoaded(int servable, int live);
}
