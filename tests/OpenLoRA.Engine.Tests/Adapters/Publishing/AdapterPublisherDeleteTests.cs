using OpenLoRA.Engine.Adapters.Publishing;
using static OpenLoRA.Engine.Tests.Adapters.Publishing.PublisherHarness;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

public sealed class AdapterPublisherDeleteTests : IDisposable
{
    private readonly PublisherHarness _harness = new();

    [Fact]
    public async Task DeleteAsync_ByAnotherPublisher_IsForbiddenAndKeepsTheAdapter()
    {
        var (publisher, catalog, _) = _harness.Start();
        await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice), CancellationToken.None);

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.DeleteAsync(_harness.Deletion("mine", Bob), CancellationToken.None));

        Assert.Equal(AdapterPublishError.Forbidden, error.Error);
        Assert.NotNull(catalog.Resolve("mine"));
    }

    [Fact]
    public async Task DeleteAsync_ByOwnerByName_RemovesItFromTheCatalogButKeepsTheFile()
    {
        var (publisher, catalog, _) = _harness.Start();
        var info = await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice), CancellationToken.None);

        var deleted = await publisher.DeleteAsync(_harness.Deletion("mine", Alice), CancellationToken.None);

        Assert.Equal(info.Sha256, deleted.Sha256);
        Assert.Null(catalog.Resolve("mine"));
        Assert.Null(catalog.Resolve($"mine@sha256:{info.Sha256}"));
        Assert.True(File.Exists(info.Path), "queued and running requests may still need the bytes");
        var again = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.DeleteAsync(_harness.Deletion("mine", Alice), CancellationToken.None));
        Assert.Equal(AdapterPublishError.NotFound, again.Error);
    }

    [Fact]
    public async Task DeleteAsync_ByOwnerByUpperCaseHash_Deletes()
    {
        var (publisher, catalog, _) = _harness.Start();
        var info = await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice), CancellationToken.None);

        await publisher.DeleteAsync(_harness.Deletion(info.Sha256.ToUpperInvariant(), Alice), CancellationToken.None);

        Assert.Null(catalog.Resolve("mine"));
    }

    [Fact]
    public async Task DeleteAsync_UnknownAdapter_IsNotFound()
    {
        var (publisher, _, _) = _harness.Start();

        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.DeleteAsync(_harness.Deletion("nothing", Alice), CancellationToken.None));

        Assert.Equal(AdapterPublishError.NotFound, error.Error);
    }

    [Fact]
    public async Task DeleteAsync_ReplayedSignature_IsReplayedAndKeepsTheAdapter()
    {
        var (publisher, catalog, _) = _harness.Start();
        var upload = _harness.Upload("attn", "mine", Alice);
        await publisher.PublishAsync(upload, CancellationToken.None);

        var replay = _harness.Deletion("mine", Alice) with { SignatureId = upload.SignatureId };
        var error = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.DeleteAsync(replay, CancellationToken.None));

        Assert.Equal(AdapterPublishError.Replayed, error.Error);
        Assert.NotNull(catalog.Resolve("mine"));
    }

    [Fact]
    public async Task DeleteAsync_Deleted_NameStaysWithItsPublisher()
    {
        var (publisher, catalog, _) = _harness.Start();
        var first = await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice), CancellationToken.None);
        await publisher.DeleteAsync(_harness.Deletion("mine", Alice), CancellationToken.None);

        var taken = await Assert.ThrowsAsync<AdapterPublishException>(
            () => publisher.PublishAsync(_harness.Upload("mlp", "mine", Bob), CancellationToken.None));
        var revived = await publisher.PublishAsync(_harness.Upload("attn", "mine", Alice), CancellationToken.None);

        Assert.Equal(AdapterPublishError.Forbidden, taken.Error);
        Assert.Equal(first.Sha256, revived.Sha256);
        Assert.Equal(first.Sha256, catalog.Resolve("mine")!.Adapter!.Sha256);
    }

    public void Dispose() => _harness.Dispose();
}
