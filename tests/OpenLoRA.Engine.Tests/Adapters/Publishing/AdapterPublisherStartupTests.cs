using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Storage;
using static OpenLoRA.Engine.Tests.Adapters.Publishing.PublisherHarness;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>A restart is a new publisher on the same data directory; what it serves and what it collects.</summary>
public sealed class AdapterPublisherStartupTests : IDisposable
{
    private readonly PublisherHarness _harness = new();

    [Fact]
    public async Task LoadAndCollectGarbage_AfterRestart_ServesTheLiveAdaptersWithTheirExactMetadata()
    {
        var (publisher, _, _) = _harness.Start();
        var upload = _harness.Upload("mlp", "kept", Alice) with { PriceInputPer1K = 0.000001m, PriceOutputPer1K = 12.3400m, Format = "peft" };
        var published = await publisher.PublishAsync(upload, CancellationToken.None);

        var (_, catalog, uploaded) = _harness.Start();

        var reloaded = Assert.Single(uploaded);
        Assert.Equal(published with { Created = reloaded.Created }, reloaded with { Targets = published.Targets });
        Assert.Equal(published.Targets, reloaded.Targets);
        Assert.Equal(published.Created.ToUnixTimeMilliseconds(), reloaded.Created.ToUnixTimeMilliseconds());
        Assert.Equal(("0.000001", "12.3400"), (reloaded.PriceInputPer1K.ToString(), reloaded.PriceOutputPer1K.ToString()));
        Assert.Equal(published.Sha256, catalog.Resolve("kept")!.Adapter!.Sha256);
    }

    [Fact]
    public async Task LoadAndCollectGarbage_AfterRestart_RemovesRetiredDeletedOrphanAndTempFiles()
    {
        var (publisher, _, _) = _harness.Start();
        var kept = await publisher.PublishAsync(_harness.Upload("attn", "kept", Alice), CancellationToken.None);
        var replaced = await publisher.PublishAsync(_harness.Upload("mlp", "versioned", Alice), CancellationToken.None);
        var current = await publisher.PublishAsync(_harness.Upload("mlp", "versioned", Alice, variant: 7), CancellationToken.None);
        var deleted = await publisher.PublishAsync(_harness.Upload("all", "gone", Alice), CancellationToken.None);
        await publisher.DeleteAsync(_harness.Deletion("gone", Alice), CancellationToken.None);
        var orphan = _harness.StorePath(new string('e', 64));
        File.Copy(kept.Path, orphan);
        var partial = Path.Combine(_harness.TempDirectory, "upload-cut-off");
        await File.WriteAllTextAsync(partial, "half");

        var (_, catalog, uploaded) = _harness.Start();

        Assert.Equal(["kept", "versioned"], uploaded.Select(a => a.Name).Order());
        Assert.Equal(current.Sha256, catalog.Resolve("versioned")!.Adapter!.Sha256);
        Assert.All([kept.Path, current.Path], path => Assert.True(File.Exists(path)));
        Assert.All([replaced.Path, deleted.Path, orphan, partial], path => Assert.False(File.Exists(path)));
    }

    [Fact]
    public async Task LoadAndCollectGarbage_CrashAfterPlacingBeforeCommit_LeavesNothingVisibleAndRemovesTheFile()
    {
        var (publisher, _, _) = _harness.Start();
        await publisher.PublishAsync(_harness.Upload("attn", "kept", Alice), CancellationToken.None);

        // The publish path up to the rename, then the process dies: the file is in the store, no row names it.
        var upload = _harness.Upload("mlp", "crashed", Alice);
        Assert.True(new AdapterStore(_harness.StoreDirectory, NullLogger.Instance).Place(upload.TempFilePath, upload.Sha256));
        Assert.True(File.Exists(_harness.StorePath(upload.Sha256)));

        var (restarted, catalog, uploaded) = _harness.Start();

        Assert.Equal(["kept"], uploaded.Select(a => a.Name));
        Assert.Null(catalog.Resolve("crashed"));
        Assert.DoesNotContain(catalog.Adapters, a => a.Sha256 == upload.Sha256);
        Assert.False(File.Exists(_harness.StorePath(upload.Sha256)));
        Assert.Empty(Directory.EnumerateFiles(restarted.TempDirectory));
    }

    [Fact]
    public async Task LoadAndCollectGarbage_LiveAdapterWithoutItsFile_IsSkippedNotFatal()
    {
        var (publisher, _, _) = _harness.Start();
        var lost = await publisher.PublishAsync(_harness.Upload("attn", "lost", Alice), CancellationToken.None);
        await publisher.PublishAsync(_harness.Upload("mlp", "kept", Alice), CancellationToken.None);
        File.Delete(lost.Path);

        var (_, catalog, uploaded) = _harness.Start();

        Assert.Equal(["kept"], uploaded.Select(a => a.Name));
        Assert.Null(catalog.Resolve("lost"));
    }

    [Fact]
    public async Task LoadAndCollectGarbage_NameNowTakenByAConfiguredAdapter_SkipsTheUploadButKeepsItRegistered()
    {
        var (publisher, _, _) = _harness.Start();
        var uploadedFirst = await publisher.PublishAsync(_harness.Upload("attn", "shared", Alice), CancellationToken.None);

        var (_, shadowed, skipped) = _harness.Start(_harness.Configured("mlp", "shared"));
        var (_, restored, served) = _harness.Start();

        Assert.Empty(skipped);
        Assert.Equal("folder", shadowed.Resolve("shared")!.Adapter!.Source);
        Assert.True(File.Exists(uploadedFirst.Path));
        Assert.Equal(uploadedFirst.Sha256, Assert.Single(served).Sha256);
        Assert.Equal("upload", restored.Resolve("shared")!.Adapter!.Source);
    }

    [Fact]
    public async Task PublishAsync_SignatureUsedBeforeRestart_IsStillReplayed()
    {
        var (publisher, _, _) = _harness.Start();
        var first = _harness.Upload("attn", "one", Alice);
        await publisher.PublishAsync(first, CancellationToken.None);

        var (restarted, _, _) = _harness.Start();
        var replay = _harness.Upload("mlp", "two", Alice) with { SignatureId = first.SignatureId };
        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => restarted.PublishAsync(replay, CancellationToken.None));

        Assert.Equal(AdapterPublishError.Replayed, error.Error);
    }

    [Fact]
    public async Task LoadAndCollectGarbage_UploadAboveALoweredSlotRank_IsNotServedButStaysRegistered()
    {
        var (publisher, _, _) = _harness.Start();
        var mlp = await publisher.PublishAsync(_harness.Upload("mlp", "rank-eight", Alice), CancellationToken.None);
        var attn = await publisher.PublishAsync(_harness.Upload("attn", "rank-four", Alice), CancellationToken.None);

        _harness.MaxAdapterRank = 4;
        var restarted = _harness.Start();
        _harness.MaxAdapterRank = null;
        var again = _harness.Start();

        Assert.Equal([attn.Sha256], restarted.Uploaded.Select(a => a.Sha256));
        Assert.Null(restarted.Catalog.Resolve("rank-eight"));
        Assert.Equal(
            new[] { attn.Sha256, mlp.Sha256 }.Order(StringComparer.Ordinal),
            again.Uploaded.Select(a => a.Sha256).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_BeforeStartUp_Throws()
    {
        var (publisher, _, _) = _harness.Start();
        var upload = _harness.Upload("attn", "early", Alice);
        var store = new AdapterStore(_harness.StoreDirectory, NullLogger.Instance);
        var fresh = new AdapterPublisher(
            new(), new(SqliteDatabase.InDataDirectory(_harness.DataDirectory)), store, _harness.Probe,
            Microsoft.Extensions.Options.Options.Create(new EngineOptions()), TimeProvider.System, NullLogger<AdapterPublisher>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => fresh.PublishAsync(upload, CancellationToken.None));

        Assert.True(File.Exists(upload.TempFilePath), "a misuse must not consume the upload");
        await publisher.PublishAsync(upload, CancellationToken.None);
    }

    public void Dispose() => _harness.Dispose();
}
