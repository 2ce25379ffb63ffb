using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Storage;
using static OpenLoRA.Engine.Tests.Adapters.Publishing.PublisherHarness;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

public sealed class AdapterPublisherConcurrencyTests : IDisposable
{
    private readonly PublisherHarness _harness = new();

    [Fact]
    public async Task PublishAsync_ManyDistinctAdaptersAtOnce_AllLive()
    {
        var (publisher, catalog, _) = _harness.Start();
        var uploads = Enumerable.Range(0, 200).Select(i => _harness.Upload("attn", $"a{i}", i % 2 == 0 ? Alice : Bob, variant: i)).ToList();

        await Task.WhenAll(uploads.Select(u => Task.Run(() => publisher.PublishAsync(u, CancellationToken.None))));

        Assert.All(uploads, u => Assert.Equal(u.Sha256, catalog.Resolve(u.Name)!.Adapter!.Sha256));
        Assert.Equal(200, Directory.EnumerateFiles(_harness.StoreDirectory, "*.gguf").Count());
        Assert.Equal(200, LiveRows());
        Assert.Empty(Directory.EnumerateFiles(publisher.TempDirectory));
    }

    [Fact]
    public async Task PublishAsync_ManyVersionsOfOneNameAtOnce_ExactlyOneIsLive()
    {
        var (publisher, catalog, _) = _harness.Start();
        var uploads = Enumerable.Range(0, 20).Select(i => _harness.Upload("mlp", "hot", Alice, variant: i)).ToList();

        await Task.WhenAll(uploads.Select(u => Task.Run(() => publisher.PublishAsync(u, CancellationToken.None))));

        Assert.Equal(1, LiveRows());
        var live = Assert.Single(catalog.Adapters);
        Assert.Contains(uploads, u => u.Sha256 == live.Sha256);
        Assert.Equal(20, Directory.EnumerateFiles(_harness.StoreDirectory, "*.gguf").Count());
        Assert.Equal(live.Sha256, Assert.Single(_harness.Start().Uploaded).Sha256);
    }

    [Fact]
    public async Task PublishAsync_TwoPublishersRaceForOneName_OneOwnsItTheOtherIsForbidden()
    {
        var (publisher, catalog, _) = _harness.Start();
        var uploads = Enumerable.Range(0, 10).Select(i => _harness.Upload("attn", "contested", i % 2 == 0 ? Alice : Bob, variant: i)).ToList();

        var outcomes = await Task.WhenAll(uploads.Select(u => Task.Run(async () =>
        {
            try
            {
                await publisher.PublishAsync(u, CancellationToken.None);
                return (u.Publisher, Error: (AdapterPublishError?)null);
            }
            catch (AdapterPublishException ex)
            {
                return (u.Publisher, Error: ex.Error);
            }
        })));

        var owner = catalog.Resolve("contested")!.Adapter!.Publisher;
        Assert.All(outcomes, o => Assert.Equal(o.Publisher == owner ? null : AdapterPublishError.Forbidden, o.Error));
        Assert.Equal(5, outcomes.Count(o => o.Error is null));
    }

    public void Dispose() => _harness.Dispose();

    private long LiveRows()
    {
        using var connection = SqliteDatabase.InDataDirectory(_harness.DataDirectory).Open();
        return (long)connection.Scalar(null, "SELECT COUNT(*) FROM adapters WHERE deleted_ms IS NULL")!;
    }
}
