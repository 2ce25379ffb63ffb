using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Storage;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>
/// A data directory in a temp folder with the tiny models, and publishers over it the way the engine builds them
/// at start: each <see cref="Start"/> is a fresh process's view (new catalog, new publisher, same files).
/// </summary>
internal sealed class PublisherHarness : IDisposable
{
    public const string Alice = "0x00000000000000000000000000000000000000a1";
    public const string Bob = "0x00000000000000000000000000000000000000b0";
    public const string BaseModel = "tiny-llama";

    private int _signature;

    public PublisherHarness()
    {
        Root = Directory.CreateTempSubdirectory("openlora-publish-").FullName;
        Models = TestModelGenerator.EnsureTinyModels(Path.Combine(Root, "models"));
        DataDirectory = Path.Combine(Root, "data");
    }

    public string Root { get; }

    public TestModelSet Models { get; }

    public string DataDirectory { get; }

    public string StoreDirectory => Path.Combine(DataDirectory, "adapters");

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public long MaxAdapterBytes { get; init; } = 1 << 20;

    /// <summary>The publisher's probe step: these tests are about storage and names, not the engine (the real
    /// probe runs in the integration tests against the real server).</summary>
    public RecordingAdapterProbe Probe { get; } = new();

    /// <summary>The base model's <see cref="BaseModelInfo.MaxAdapterRank"/> for the next <see cref="Start"/> (a ggml slot rank; null: LLamaSharp).</summary>
    public int? MaxAdapterRank { get; set; }

    public BaseModelInfo BaseModelInfo => new(BaseModel, Models.BaseModelPath, new string('0', 64), 256, DateTimeOffset.UnixEpoch) { MaxAdapterRank = MaxAdapterRank };

    /// <summary>Starts a publisher like the engine does; <paramref name="configured"/> are the folder adapters.</summary>
    public StartedPublisher Start(params AdapterInfo[] configured)
    {
        var catalog = new ModelCatalog();
        var registry = new AdapterRegistry(SqliteDatabase.InDataDirectory(DataDirectory));
        var store = new AdapterStore(StoreDirectory, NullLogger.Instance);
        var options = Options.Create(new EngineOptions { DataDirectory = DataDirectory, MaxAdapterBytes = MaxAdapterBytes });
        var publisher = new AdapterPublisher(catalog, registry, store, Probe, options, Time, NullLogger<AdapterPublisher>.Instance);
        var uploaded = publisher.LoadAndCollectGarbage([BaseModelInfo], configured);
        catalog.Publish([BaseModelInfo], [.. configured, .. uploaded]);
        return new StartedPublisher(publisher, catalog, uploaded);
    }

    /// <summary>A configured (folder) adapter made from a generated one, as the folder scanner would list it.</summary>
    public AdapterInfo Configured(string kind, string name) =>
        new(name, Sha256Of(Template(kind)), BaseModel, Template(kind), 4, 8f, [], new FileInfo(Template(kind)).Length, DateTimeOffset.UnixEpoch);

    /// <summary>An upload of the generated adapter of <paramref name="kind"/> ("attn", "mlp", "all", "out"), or of a variant of it.</summary>
    public AdapterUpload Upload(string kind, string name, string publisher, int? variant = null)
    {
        var temp = Path.Combine(TempDirectory, Guid.NewGuid().ToString("N"));
        if (variant is { } seed)
        {
            AdapterVariants.Write(Template(kind), temp, seed);
        }
        else
        {
            File.Copy(Template(kind), temp);
        }

        return new AdapterUpload(
            temp, Sha256Of(temp), name, BaseModel, $"{name} by {publisher}", 0.01m, 0.02m, publisher, NextSignature(), Time.GetUtcNow().AddMinutes(5), "gguf");
    }

    public AdapterDeletion Deletion(string id, string publisher) => new(id, publisher, NextSignature(), Time.GetUtcNow().AddMinutes(5));

    public string StorePath(string sha256) => Path.Combine(StoreDirectory, sha256 + ".gguf");

    public string TempDirectory => Path.Combine(StoreDirectory, "tmp");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }

    public static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private string Template(string kind) => Models.AdapterPaths.Single(p => Path.GetFileName(p).Contains($"-{kind}-", StringComparison.Ordinal));

    private string NextSignature() => $"sig-{Interlocked.Increment(ref _signature)}";
}

