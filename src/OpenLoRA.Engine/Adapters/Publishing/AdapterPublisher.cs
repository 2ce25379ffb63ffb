using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Models;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// Publishes uploads into the <see cref="AdapterStore"/> and the <see cref="AdapterRegistry"/>, then the catalog.
/// Order of a publish: fsync and re-hash the temp file, validate it (format, shapes, magnitudes, rank against the
/// backend's slot rank), run one probe step of it on the real base model, rename it into the store, commit one
/// transaction, update the catalog. A crash at any point leaves at most a store file without a live row, which
/// nothing can resolve and the next start removes. Names of configured (folder) adapters and of base models are
/// reserved: an upload may not take them, so the catalog never holds two adapters under one name.
/// </summary>
internal sealed partial class AdapterPublisher : IAdapterPublisher
{
    private readonly ModelCatalog _catalog;
    private readonly AdapterRegistry _registry;
    private readonly AdapterStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _maxBytes;
    private readonly BaseModelShapesCache _shapes = new();
    private readonly IAdapterProbe _probe;

    // Hashing and validation run in parallel; the short critical part (rename, one transaction, catalog swap) is
    // serialized, which keeps "two uploads of one name at once" and "placed but not committed" simple to reason about.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _started;

    public AdapterPublisher(
        ModelCatalog catalog, AdapterRegistry registry, AdapterStore store, IAdapterProbe probe, IOptions<EngineOptions> options, TimeProvider time, ILogger<AdapterPublisher> logger)
    {
        _probe = probe;
        _catalog = catalog;
        _registry = registry;
        _store = store;
        _maxBytes = options.Value.MaxAdapterBytes;
        _time = time;
        _logger = logger;
    }

    public string TempDirectory => _store.TempDirectory;

    public async Task<AdapterInfo> PublishAsync(AdapterUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        EnsureStarted();
        if (!_store.IsTempFile(upload.TempFilePath))
        {
            throw new ArgumentException($"The upload must be a file directly inside {TempDirectory}.", nameof(upload));
        }

        try
        {
            var adapter = await PrepareAsync(upload, cancellationToken);
            await ProbeAsync(adapter, upload, cancellationToken);
            await _gate.WaitAsync(cancellationToken);
            try
            {
                CheckReserved(adapter.Name, adapter.Sha256);
                var retired = Commit(adapter, upload);
                _catalog.UpsertAdapter(adapter);
                LogPublished(adapter.Name, adapter.Sha256, adapter.Publisher, retired);
            }
            finally
            {
                _gate.Release();
            }

            return adapter;
        }
        finally
        {
            _store.TryDelete(upload.TempFilePath);
        }
    }

    public async Task<AdapterInfo> DeleteAsync(AdapterDeletion deletion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        EnsureStarted();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var configured = _catalog.Adapters.FirstOrDefault(a =>
                a.Source != AdapterSources.Upload && (a.Name == deletion.IdOrName || a.Sha256 == deletion.IdOrName.ToLowerInvariant()));
            if (configured is not null)
            {
                throw AdapterPublishException.Forbidden($"'{configured.Name}' is a configured adapter; it cannot be deleted through the API.", "id");
            }

            var adapter = _registry.FindLive(deletion.IdOrName, _store.PathOf) ?? throw AdapterPublishException.NotFound(deletion.IdOrName);
            if (!Publishers.Same(adapter.Publisher, deletion.Publisher))
            {
                throw AdapterPublishException.Forbidden("Only the adapter's publisher may delete it.", "id");
            }

            if (!_registry.CommitDelete(adapter.Sha256, new UsedSignature(deletion.SignatureId, deletion.SignatureExpires), _time.GetUtcNow()))
            {
                throw AdapterPublishException.NotFound(deletion.IdOrName);
            }

            // The file stays until the next start: sequences that resolved this version may still have to load it.
            _catalog.RemoveAdapter(adapter.Sha256);
            LogDeleted(adapter.Name, adapter.Sha256, adapter.Publisher);
            return adapter;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Everything that needs no lock: size, hash, validation; returns the adapter as it will be registered.</summary>
    private async Task<AdapterInfo> PrepareAsync(AdapterUpload upload, CancellationToken cancellationToken)
    {
        var baseModel = _catalog.BaseModels.FirstOrDefault(m => m.Name == upload.BaseModel)
            ?? throw AdapterPublishException.Invalid($"Unknown base model '{upload.BaseModel}'.", "base_model");
        CheckNameAvailable(upload.Name, upload.Publisher);
        var size = new FileInfo(upload.TempFilePath).Length;
        if (size > _maxBytes)
        {
            throw AdapterPublishException.Invalid($"The adapter is {size} bytes; the limit is {_maxBytes}.", "file");
        }

        var sha256 = await AdapterStore.SyncAndHashAsync(upload.TempFilePath, cancellationToken);
        if (!string.Equals(sha256, upload.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw AdapterPublishException.Invalid($"The file hashes to {sha256}, not to the declared sha256 {upload.Sha256}.", "sha256");
        }

        var validation = AdapterValidator.Validate(upload.TempFilePath, _shapes.Get(baseModel));
        if (!validation.IsValid)
        {
            throw AdapterPublishException.Invalid($"Invalid adapter: {validation.Reason}", "file");
        }

        if (AdapterRankLimit.Check(baseModel, validation.Rank) is { } tooHigh)
        {
            throw AdapterPublishException.Invalid($"Invalid adapter: {tooHigh}.", "file");
        }

        return new AdapterInfo(
            upload.Name, sha256, baseModel.Name, _store.PathOf(sha256), validation.Rank, validation.Alpha, validation.Targets, size, _time.GetUtcNow())
        {
            Description = upload.Description,
            PriceInputPer1K = upload.PriceInputPer1K,
            PriceOutputPer1K = upload.PriceOutputPer1K,
            Publisher = upload.Publisher,
            Source = AdapterSources.Upload,
            Format = upload.Format,
        };
    }

    /// <summary>
    /// One step on the real base model before anything is stored, from the temp file (the store path does not exist
    /// yet). Outside the gate: a step waits its turn in the model's queue, and other uploads need not wait for it.
    /// </summary>
    private async Task ProbeAsync(AdapterInfo adapter, AdapterUpload upload, CancellationToken cancellationToken)
    {
        var baseModel = _catalog.BaseModels.First(m => m.Name == adapter.BaseModel);
        var problem = await _probe.FindProblemAsync(new ModelTarget(baseModel, adapter with { Path = upload.TempFilePath }), cancellationToken);
        if (problem is not null)
        {
            LogProbeRefused(adapter.Name, adapter.Sha256, problem);
            throw AdapterPublishException.Invalid($"Invalid adapter: {problem}.", "file");
        }
    }

    /// <summary>Places the file, then commits; a refused commit takes back the file if this call placed it.</summary>
    private string? Commit(AdapterInfo adapter, AdapterUpload upload)
    {
        var placed = _store.Place(upload.TempFilePath, adapter.Sha256);
        try
        {
            return _registry.CommitPublish(adapter, new UsedSignature(upload.SignatureId, upload.SignatureExpires), _time.GetUtcNow());
        }
        catch when (placed)
        {
            // Nothing can have loaded it: it did not exist a moment ago and no live row names it.
            _store.Discard(adapter.Sha256);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published adapter {Name} ({Sha256}) for {Publisher}; retired version: {Retired}")]
    private partial void LogPublished(string name, string sha256, string? publisher, string? retired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of adapter {Name} ({Sha256}) refused by its probe step: {Problem}")]
    private partial void LogProbeRefused(string name, string sha256, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted adapter {Name} ({Sha256}) of {Publisher}")]
    private partial void LogDeleted(string name, string sha256, string? publisher);
}
