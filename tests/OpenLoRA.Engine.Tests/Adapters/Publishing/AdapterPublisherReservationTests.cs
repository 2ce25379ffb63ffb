using OpenLoRA.Engine.Adapters.Publishing;
using static OpenLoRA.Engine.Tests.Adapters.Publishing.PublisherHarness;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>Configured (folder) adapters and base models keep their names and contents against uploads.</summary>
public sealed class AdapterPublisherReservationTests : IDisposable
{
    private readonly PublisherHarness _harness = new();

    [Fact]
    public async Task PublishAsync_NameOfAConfiguredAdapter_IsForbidden()
    {
        var (publisher, catalog, _) = _harness.Start(_harness.Configured("mlp", "house"));

        var error = await Assert.ThrowsAsync<AdapterPublishException>(
            () => publisher.PublishAsync(_harness.Upload("attn", "house", Alice), CancellationToken.None));

        Assert.Equal((AdapterPublishError.Forbidden, "name"), (error.Error, error.Param));
        Assert.Equal("folder", catalog.Resolve("house")!.Adapter!.Source);
    }

    [Fact]
    public async Task PublishAsync_NameOfABaseModel_IsForbidden()
    {
        var (publisher, _, _) = _harness.Start();

        var error = await Assert.ThrowsAsync<AdapterPublishException>(
            () => publisher.PublishAsync(_harness.Upload("attn", BaseModel, Alice), CancellationToken.None));

        Assert.Equal(AdapterPublishError.Forbidden, error.Error);
    }

    [Fact]
    public async Task PublishAsync_ContentOfAConfiguredAdapter_Conflicts()
    {
        var (publisher, catalog, _) = _harness.Start(_harness.Configured("attn", "house"));

        var error = await Assert.ThrowsAsync<AdapterPublishException>(
            () => publisher.PublishAsync(_harness.Upload("attn", "copy", Alice), CancellationToken.None));

        Assert.Equal(AdapterPublishError.Conflict, error.Error);
        Assert.NotNull(catalog.Resolve("house"));
        Assert.Null(catalog.Resolve("copy"));
    }

    [Fact]
    public async Task DeleteAsync_ConfiguredAdapter_IsForbidden()
    {
        var configured = _harness.Configured("attn", "house");
        var (publisher, catalog, _) = _harness.Start(configured);

        var byName = await Assert.ThrowsAsync<AdapterPublishException>(() => publisher.DeleteAsync(_harness.Deletion("house", Alice), CancellationToken.None));
        var byHash = await Assert.ThrowsAsync<AdapterPublishException>(
            () => publisher.DeleteAsync(_harness.Deletion(configured.Sha256, Alice), CancellationToken.None));

        Assert.Equal((AdapterPublishError.Forbidden, AdapterPublishError.Forbidden), (byName.Error, byHash.Error));
        Assert.NotNull(catalog.Resolve("house"));
    }

    public void Dispose() => _harness.Dispose();
}
