using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Storage;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>The publisher on a real SQLite file and real generated adapters.</summary>
public sealed class AdapterPublisherTests : IDisposable
{
    private const string Alice = "0x00000000000000000000000000000000000000a1";
    private const string Bob = "0x00000000000000000000000000000000000000b0";
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-publish-").FullName;
    private readonly TestModelSet _models;
    private int _signature;

    public AdapterPublisherTests()
    {
        _models = TestModelGenerator.EnsureTinyModels(Path.Combine(_root, "models"));
    }

    [Fact]
    public async Task PublishAsync_ValidAdapter_IsResolvableAndStoredByHash()
    {
        var (publisher, catalog) = Open();

        var info = await publisher.PublishAsync(Upload(publisher, "attn", "mine", Alice), CancellationToken.None);

        Assert.Equal(info.Sha256, catalog.Resolve("mine")!.Adapter!.Sha256);
        Assert.Equal(Path.Combine(_root, "data", "adapters", info.Sha256 + ".gguf"), info.Path);
        Assert.True(File.Exists(info.Path));
        Assert.Empty(Directory.EnumerateFiles(publisher.TempDirectory));
    }

    [Fact]
    public async Task PublishAsync_NewVersionUnderSameName_ReplacesItButKeepsTheOldFile()
    {
        var (publisher, catalog) = Open();
        var first = await publisher.PublishAsync(Upload(publisher, "attn", "mine", Alice), CancellationToken.None);

        var second = await publisher.PublishAsync(Upload(publisher, "mlp", "mine", Alice), CancellationToken.None);

        Assert.Equal(second.Sha256, catalog.Resolve("mine")!.Adapter!.Sha256);
        Assert.Null(catalog.Resolve($"mine@sha256:{first.Sha256}"));
        Assert.True(File.Exists(first.Path), "running requests may still need the old bytes");
    }

    [Fact]
    public async Task PublishAsync_NameOfAnotherPublisher_IsForbiddenAndLeavesNoTempFile()
    {
        var (publisher, _) = Open();
        await publisher.PublishAsync(Upload(publisher, "attn", "mine", Alice), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(Upload(publisher, "mlp", "mine", Bob), CancellationToken.None));

        Assert.Equal(AdapterPublishError.Forbidden, error.Error);
        Assert.Empty(Directory.EnumerateFiles(publisher.TempDirectory));
    }

    [Fact]
    public async Task PublishAsync_ReplayedSignature_IsRefused()
    {
        var (publisher, _) = Open();
        var upload = Upload(publisher, "attn", "one", Alice);
        await publisher.PublishAsync(upload, CancellationToken.None);

        var replay = Upload(publisher, "mlp", "two", Alice) with { SignatureId = upload.SignatureId };
        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(replay, CancellationToken.None));

        Assert.Equal(AdapterPublishError.Replayed, error.Error);
    }

    [Fact]
    public async Task PublishAsync_SameContentUnderAnotherName_Conflicts()
    {
        var (publisher, _) = Open();
        await publisher.PublishAsync(Upload(publisher, "attn", "one", Alice), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(Upload(publisher, "attn", "two", Alice), CancellationToken.None));

        Assert.Equal(AdapterPublishError.Conflict, error.Error);
    }

    [Fact]
    public async Task PublishAsync_CorruptFile_IsInvalidWithTheValidatorsReason()
    {
        var (publisher, catalog) = Open();
        var upload = Upload(publisher, "attn", "bad", Alice);
        var bytes = await File.ReadAllBytesAsync(upload.TempFilePath);
        Array.Resize(ref bytes, bytes.Length - 10);
        await File.WriteAllBytesAsync(upload.TempFilePath, bytes);
        upload = upload with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal(AdapterPublishError.Invalid, error.Error);
        Assert.StartsWith("Invalid adapter: ", error.Message);
        Assert.Null(catalog.Resolve("bad"));
        Assert.False(File.Exists(upload.TempFilePath));
    }

    [Fact]
    public async Task DeleteAsync_ByOwnerAndByOther_OnlyTheOwnerMay()
    {
        var (publisher, catalog) = Open();
        await publisher.PublishAsync(Upload(publisher, "attn", "mine", Alice), CancellationToken.None);

        var forbidden = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.DeleteAsync(Deletion("mine", Bob), CancellationToken.None));
        await publisher.DeleteAsync(Deletion("mine", Alice), CancellationToken.None);

        Assert.Equal(AdapterPublishError.Forbidden, forbidden.Error);
        Assert.Null(catalog.Resolve("mine"));
        var missing = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.DeleteAsync(Deletion("mine", Alice), CancellationToken.None));
        Assert.Equal(AdapterPublishError.NotFound, missing.Error);
    }

    [Fact]
    public async Task LoadAndCollectGarbage_AfterRestart_ReloadsLiveAdaptersAndRemovesOrphans()
    {
        var (publisher, _) = Open();
        var kept = await publisher.PublishAsync(Upload(publisher, "attn", "kept", Alice), CancellationToken.None);
        var replaced = await publisher.PublishAsync(Upload(publisher, "mlp", "gone", Alice), CancellationToken.None);
        await publisher.PublishAsync(Upload(publisher, "all", "gone", Alice), CancellationToken.None);

        // A crash between the rename into the store and the commit leaves a file without a row, and a temp file.
        var orphan = Path.Combine(_root, "data", "adapters", new string('e', 64) + ".gguf");
        File.Copy(kept.Path, orphan);
        await File.WriteAllTextAsync(Path.Combine(publisher.TempDirectory, "upload.partial"), "half");

        var (restarted, _) = Open();
        var live = restarted.LoadAndCollectGarbage();

        Assert.Equal(["gone", "kept"], live.Select(a => a.Name).Order());
        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(replaced.Path));
        Assert.Empty(Directory.EnumerateFiles(restarted.TempDirectory));
        Assert.All(live, a => Assert.Equal(Alice, a.Publisher));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private (AdapterPublisher Publisher, ModelCatalog Catalog) Open()
    {
        var catalog = new ModelCatalog();
        catalog.Publish([new BaseModelInfo("tiny-llama", _models.BaseModelPath, new string('0', 64), 256, DateTimeOffset.UnixEpoch)], []);
        var registry = new AdapterRegistry(new SqliteDatabase(Path.Combine(_root, "data", "openlora.db")));
        var publisher = new AdapterPublisher(catalog, registry, Path.Combine(_root, "data", "adapters"), 1 << 20, TimeProvider.System, NullLogger.Instance);
        return (publisher, catalog);
    }

    private AdapterUpload Upload(AdapterPublisher publisher, string kind, string name, string publisherAddress)
    {
        var source = _models.AdapterPaths.Single(p => Path.GetFileName(p).Contains($"-{kind}-", StringComparison.Ordinal));
        var temp = Path.Combine(publisher.TempDirectory, Guid.NewGuid().ToString("N"));
        File.Copy(source, temp);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(temp)));
        return new AdapterUpload(temp, sha, name, "tiny-llama", null, 0.01m, 0.02m, publisherAddress, NextSignature(), DateTimeOffset.UtcNow.AddMinutes(5), "gguf");
    }

    private AdapterDeletion Deletion(string id, string publisherAddress) => new(id, publisherAddress, NextSignature(), DateTimeOffset.UtcNow.AddMinutes(5));

    private string NextSignature() => $"sig-{Interlocked.Increment(ref _signature)}";
}
