using OpenLoRA.Engine.Storage;
using static OpenLoRA.Engine.Tests.Adapters.Publishing.PublisherHarness;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

public sealed class UsedSignaturePurgeTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly PublisherHarness _harness;

    public UsedSignaturePurgeTests()
    {
        _harness = new PublisherHarness { Time = _time };
    }

    [Fact]
    public async Task PublishAsync_AfterEarlierSignaturesExpired_PurgesTheirRecords()
    {
        var (publisher, _, _) = _harness.Start();
        await publisher.PublishAsync(_harness.Upload("attn", "one", Alice), CancellationToken.None);
        await publisher.PublishAsync(_harness.Upload("mlp", "two", Alice), CancellationToken.None);
        Assert.Equal(2, SignatureRecords());

        _time.Advance(TimeSpan.FromMinutes(10));
        await publisher.DeleteAsync(_harness.Deletion("one", Alice), CancellationToken.None);

        Assert.Equal(1, SignatureRecords());
    }

    public void Dispose() => _harness.Dispose();

    private long SignatureRecords()
    {
        using var connection = SqliteDatabase.InDataDirectory(_harness.DataDirectory).Open();
        return (long)connection.Scalar(null, "SELECT COUNT(*) FROM used_signatures")!;
    }
}
