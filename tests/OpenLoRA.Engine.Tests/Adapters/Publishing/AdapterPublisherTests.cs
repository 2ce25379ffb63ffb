using OpenLoRA.Engine.Adapters.Publishing;
using static OpenLoRA.Engine.Tests.Adapters.Publishing.PublisherHarness;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>Publishing on a real SQLite file with real generated adapters.</summary>
public sealed class AdapterPublisherTests : IDisposable
{
    private readonly PublisherHarness _harness = new();

    [Fact]
    public async Task PublishAsync_ValidAdapter_IsResolvableByNameAndPinAndStoredByHash()
    {
        var (publisher, catalog, _) = _harness.Start();

        var info = await publisher.PublishAsync(_harness.Upload("mlp", "mine", Alice), CancellationToken.None);

        Assert.Same(info, catalog.Resolve("mine")!.Adapter);
        Assert.Same(info, catalog.Resolve($"mine@sha256:{info.Sha256}")!.Adapter);
        Assert.Equal(_harness.StorePath(info.Sha256), info.Path);
        Assert.Equal(info.Sha256, Sha256Of(info.Path));
        Assert.Empty(Directory.EnumerateFiles(publisher.TempDirectory));
        Assert.Equal(("upload", Alice, "gguf", "mine by " + Alice), (info.Source, info.Publisher, info.Format, info.Description));
        Assert.Equal((0.01m, 0.02m), (info.PriceInputPer1K, info.PriceOutputPer1K));
        Assert.Equal((8, 16f), (info.Rank, info.Alpha));
        Assert.NotEmpty(info.Targets);
    }

    [Fact]
    public async Task PublishAsync_RankAboveTheSlotRank_IsInvalidNamingLoraSlotRankAndNeverProbed()
    {
        _harness.MaxAdapterRank = 4;
        var (publisher, catalog, _) = _harness.Start();
        var upload = _harness.Upload("mlp", "too-wide", Alice);

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal((AdapterPublishError.Invalid, "file"), (error.Error, error.Param));
        Assert.Contains("rank 8 is above LoraSlotRank 4", error.Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Probe.Probed);
        Assert.Null(catalog.Resolve("too-wide"));
        Assert.False(File.Exists(_harness.StorePath(upload.Sha256)));
        await publisher.PublishAsync(_harness.Upload("attn", "fits", Alice), CancellationToken.None);
    }

    [Fact]
    public async Task PublishAsync_ProbeStepFindsAProblem_IsInvalidWithItsReasonAndStoresNothing()
    {
        var (publisher, catalog, _) = _harness.Start();
        var upload = _harness.Upload("attn", "overflows", Alice);
        _harness.Probe.Problem = "one probe step gave non-finite logits";

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal((AdapterPublishError.Invalid, "file"), (error.Error, error.Param));
        Assert.Contains("non-finite logits", error.Message, StringComparison.Ordinal);
        var probed = Assert.Single(_harness.Probe.Probed);
        Assert.Equal((upload.TempFilePath, upload.Sha256), (probed.Adapter!.Path, probed.Adapter.Sha256));
        Assert.Null(catalog.Resolve("overflows"));
        Assert.False(File.Exists(_harness.StorePath(upload.Sha256)));
        Assert.Empty(Directory.EnumerateFiles(publisher.TempDirectory));
    }

    [Fact]
    public async Task PublishAsync_NewVersionBySamePublisher_ReplacesTheNameButKeepsTheOldFile()
    {
        var (publisher, catalog, _) = _harness.Start();
        var first = await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice), CancellationToken.None);

        var second = await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice, variant: 1), CancellationToken.None);

        Assert.Equal(second.Sha256, catalog.Resolve("mine")!.Adapter!.Sha256);
        Assert.Null(catalog.Resolve($"mine@sha256:{first.Sha256}"));
        Assert.Single(catalog.Adapters, a => a.Name == "mine");
        Assert.True(File.Exists(first.Path), "queued and running requests may still need the old bytes");
    }

    [Fact]
    public async Task PublishAsync_NameOfAnotherPublisher_IsForbiddenAndStoresNothing()
    {
        var (publisher, catalog, _) = _harness.Start();
        var alices = await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice), CancellationToken.None);
        var upload = _harness.Upload("mlp", "mine", Bob);

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal((AdapterPublishError.Forbidden, "name"), (error.Error, error.Param));
        Assert.Equal(alices.Sha256, catalog.Resolve("mine")!.Adapter!.Sha256);
        Assert.False(File.Exists(_harness.StorePath(upload.Sha256)));
        Assert.Empty(Directory.EnumerateFiles(publisher.TempDirectory));
    }

    [Fact]
    public async Task PublishAsync_ReplayedSignature_IsReplayedAndTakesBackThePlacedFile()
    {
        var (publisher, catalog, _) = _harness.Start();
        var first = _harness.Upload("attn", "one", Alice);
        await publisher.PublishAsync(first, CancellationToken.None);
        var replay = _harness.Upload("mlp", "two", Alice) with { SignatureId = first.SignatureId };

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(replay, CancellationToken.None));

        Assert.Equal(AdapterPublishError.Replayed, error.Error);
        Assert.Null(catalog.Resolve("two"));
        Assert.False(File.Exists(_harness.StorePath(replay.Sha256)));
    }

    [Fact]
    public async Task PublishAsync_SameContentUnderAnotherName_ConflictsAndKeepsTheLiveFile()
    {
        var (publisher, catalog, _) = _harness.Start();
        var live = await publisher.PublishAsync(_harness.Upload("attn", "one", Alice), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AdapterPublishException>(
            () => publisher.PublishAsync(_harness.Upload("attn", "two", Alice), CancellationToken.None));

        Assert.Equal(AdapterPublishError.Conflict, error.Error);
        Assert.Contains("'one'", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(live.Path));
        Assert.Null(catalog.Resolve("two"));
    }

    [Fact]
    public async Task PublishAsync_SameContentUnderItsOwnName_UpdatesPricesAndDescription()
    {
        var (publisher, catalog, _) = _harness.Start();
        await publisher.PublishAsync(_harness.Upload("attn", "one", Alice), CancellationToken.None);

        var repriced = _harness.Upload("attn", "one", Alice) with { PriceInputPer1K = 0.5m, Description = "cheaper soon" };
        var updated = await publisher.PublishAsync(repriced, CancellationToken.None);

        Assert.Equal((0.5m, "cheaper soon"), (catalog.Resolve("one")!.Adapter!.PriceInputPer1K, catalog.Resolve("one")!.Adapter!.Description));
        Assert.True(File.Exists(updated.Path));
    }

    [Fact]
    public async Task PublishAsync_CorruptFile_IsInvalidWithTheValidatorsReasonAndRemovesTheTempFile()
    {
        var (publisher, catalog, _) = _harness.Start();
        var upload = _harness.Upload("attn", "bad", Alice);
        var bytes = await File.ReadAllBytesAsync(upload.TempFilePath);
        await File.WriteAllBytesAsync(upload.TempFilePath, bytes[..^10]);
        upload = upload with { Sha256 = Sha256Of(upload.TempFilePath) };

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal((AdapterPublishError.Invalid, "file"), (error.Error, error.Param));
        Assert.StartsWith("Invalid adapter: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length > "Invalid adapter: ".Length);
        Assert.Null(catalog.Resolve("bad"));
        Assert.False(File.Exists(upload.TempFilePath));
        Assert.False(File.Exists(_harness.StorePath(upload.Sha256)));
    }

    [Fact]
    public async Task PublishAsync_DeclaredHashDiffersFromTheFile_IsInvalid()
    {
        var (publisher, _, _) = _harness.Start();
        var upload = _harness.Upload("attn", "mine", Alice) with { Sha256 = new string('a', 64) };

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal((AdapterPublishError.Invalid, "sha256"), (error.Error, error.Param));
        Assert.False(File.Exists(upload.TempFilePath));
    }

    [Fact]
    public async Task PublishAsync_UnknownBaseModel_IsInvalid()
    {
        var (publisher, _, _) = _harness.Start();
        var upload = _harness.Upload("attn", "mine", Alice) with { BaseModel = "no-such-model" };

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal((AdapterPublishError.Invalid, "base_model"), (error.Error, error.Param));
        Assert.Contains("unknown base model", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(upload.TempFilePath));
    }

    [Fact]
    public async Task PublishAsync_FileOverTheSizeLimit_IsInvalid()
    {
        using var harness = new PublisherHarness { MaxAdapterBytes = 1024 };
        var (publisher, _, _) = harness.Start();
        var upload = harness.Upload("attn", "mine", Alice);

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.PublishAsync(upload, CancellationToken.None));

        Assert.Equal((AdapterPublishError.Invalid, "file"), (error.Error, error.Param));
        Assert.Contains("limit is 1024", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(upload.TempFilePath));
    }

    [Fact]
    public async Task PublishAsync_TempFileOutsideTheTempDirectory_IsRefusedAndLeftAlone()
    {
        var (publisher, _, _) = _harness.Start();
        var upload = _harness.Upload("attn", "mine", Alice);
        var outside = Path.Combine(_harness.Root, "elsewhere.gguf");
        File.Move(upload.TempFilePath, outside);

        await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishAsync(upload with { TempFilePath = outside }, CancellationToken.None));

        Assert.True(File.Exists(outside));
    }

    public void Dispose() => _harness.Dispose();
}
