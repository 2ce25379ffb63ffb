using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Models;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// Content-addressed adapter store (<c>adapters/&lt;sha256&gt;.gguf</c>) plus the SQLite registry. Order of a publish:
/// fsync the temp file, re-hash, validate, rename into the store, then one transaction; a crash at any point leaves
/// at most a store file without a live row, which is invisible and removed at the next start. Files of replaced or
/// deleted versions stay until then: queued and running requests may still need those exact bytes.
/// </summary>
internal sealed class AdapterPublisher : IAdapterPublisher
{
    private readonly ModelCatalog _catalog;
    private readonly AdapterRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _maxBytes;
    private readonly string _storeDirectory;
    private readonly ConcurrentDictionary<string, BaseModelShapes> _shapes = new(StringComparer.Ordinal);

    // Publishing is serialized: each one is a short transaction plus a snapshot swap, and serial order makes
    // "same name, two uploads at once" simple to reason about.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public AdapterPublisher(ModelCatalog catalog, AdapterRegistry registry, string storeDirectory, long maxBytes, TimeProvider time, ILogger logger)
    {
        _catalog = catalog;
        _registry = registry;
        _time = time;
        _logger = logger;
        _maxBytes = maxBytes;
        _storeDirectory = storeDirectory;
        TempDirectory = Path.Combine(storeDirectory, "tmp");
        Directory.CreateDirectory(TempDirectory);
    }

    public string TempDirectory { get; }

    public string PathOf(string sha256) => Path.Combine(_storeDirectory, sha256 + ".gguf");

    /// <summary>Start-up: removes temp files and store files without a live row, and returns the live adapters.</summary>
    public List<AdapterInfo> LoadAndCollectGarbage()
    {
        foreach (var file in Directory.EnumerateFiles(TempDirectory))
        {
            File.Delete(file);
        }

        var live = _registry.LoadLive(PathOf);
        var keep = live.Select(a => a.Sha256 + ".gguf").ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_storeDirectory, "*.gguf"))
        {
            if (!keep.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
                _logger.LogInformation("Removed unreferenced adapter file {File}", file);
            }
        }

        var present = live.Where(a => File.Exists(a.Path)).ToList();
        foreach (var missing in live.Except(present))
        {
            _logger.LogError("Adapter {Name} ({Sha256}) is registered but its file is missing; it is not served", missing.Name, missing.Sha256);
        }

        return present;
    }

    public async Task<AdapterInfo> PublishAsync(AdapterUpload upload, CancellationToken cancellationToken)
    {
        try
        {
            var baseModel = _catalog.BaseModels.FirstOrDefault(m => m.Name == upload.BaseModel)
                ?? throw Invalid($"Unknown base model '{upload.BaseModel}'.", "base_model");
            CheckNameIsFree(upload.Name, upload.Publisher);
            var (sha256, size) = await SyncAndHashAsync(upload.TempFilePath, cancellationToken);
            if (size > _maxBytes)
            {
                throw Invalid($"The adapter is {size} bytes; the limit is {_maxBytes}.", "file");
            }

            if (!string.Equals(sha256, upload.Sha256, StringComparison.Ordinal))
            {
                throw Invalid("The file's sha256 does not match the declared sha256.", "sha256");
            }

            var validation = AdapterValidator.Validate(upload.TempFilePath, Shapes(baseModel));
            if (!validation.IsValid)
            {
                throw Invalid($"Invalid adapter: {validation.Reason}", "file");
            }

            var adapter = new AdapterInfo(upload.Name, sha256, baseModel.Name, PathOf(sha256), validation.Rank, validation.Alpha,
                validation.Targets, size, _time.GetUtcNow())
            {
                Description = upload.Description,
                PriceInputPer1K = upload.PriceInputPer1K,
                PriceOutputPer1K = upload.PriceOutputPer1K,
                Publisher = upload.Publisher,
                Source = "upload",
                Format = upload.Format,
            };
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (!File.Exists(adapter.Path))
                {
                    File.Move(upload.TempFilePath, adapter.Path);
                }

                _registry.CommitPublish(adapter, upload.SignatureId, upload.SignatureExpires.ToUnixTimeMilliseconds(), _time.GetUtcNow().ToUnixTimeMilliseconds());
                _catalog.UpsertAdapter(adapter);
            }
            finally
            {
                _gate.Release();
            }

            _logger.LogInformation("Published adapter {Name} ({Sha256}) for {Publisher}", adapter.Name, adapter.Sha256, adapter.Publisher);
            return adapter;
        }
        finally
        {
            TryDelete(upload.TempFilePath);
        }
    }

    public async Task<AdapterInfo> DeleteAsync(AdapterDeletion deletion, CancellationToken cancellationToken)
    {
        var adapter = _catalog.Adapters.FirstOrDefault(a => a.Sha256 == deletion.IdOrName.ToLowerInvariant())
            ?? _catalog.Adapters.FirstOrDefault(a => a.Name == deletion.IdOrName)
            ?? throw new AdapterPublishException(AdapterPublishError.NotFound, $"No adapter '{deletion.IdOrName}'.", "id");
        if (adapter.Source != "upload" || adapter.Publisher != deletion.Publisher)
        {
            throw new AdapterPublishException(AdapterPublishError.Forbidden, "Only the adapter's publisher may delete it.", "id");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_registry.CommitDelete(adapter.Sha256, deletion.SignatureId, deletion.SignatureExpires.ToUnixTimeMilliseconds(), _time.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                throw new AdapterPublishException(AdapterPublishError.NotFound, $"No adapter '{deletion.IdOrName}'.", "id");
            }

            _catalog.RemoveAdapter(adapter.Sha256);
        }
        finally
        {
            _gate.Release();
        }

        _logger.LogInformation("Deleted adapter {Name} ({Sha256})", adapter.Name, adapter.Sha256);
        return adapter;
    }

    private void CheckNameIsFree(string name, string publisher)
    {
        // Names of adapters from the configured folder are reserved: an upload must not shadow them.
        if (_catalog.Adapters.Any(a => a.Name == name && a.Source != "upload"))
        {
            throw new AdapterPublishException(AdapterPublishError.Forbidden, $"The name '{name}' is reserved by a configured adapter.", "name");
        }

        var owner = _registry.NameOwner(name);
        if (owner is not null && owner != publisher)
        {
            throw new AdapterPublishException(AdapterPublishError.Forbidden, $"The name '{name}' belongs to another publisher.", "name");
        }
    }

    private BaseModelShapes Shapes(BaseModelInfo model) => _shapes.GetOrAdd(model.Path, BaseModelShapes.FromFile);

    private static async Task<(string Sha256, long Size)> SyncAndHashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);

        // Durable before it can be renamed into the store and referenced by a committed row.
        stream.Flush(flushToDisk: true);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }

    private static AdapterPublishException Invalid(string message, string param) => new(AdapterPublishError.Invalid, message, param);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
