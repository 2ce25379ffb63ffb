using OpenLoRA.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// A new version under an existing name takes over new requests at once, while sequences already running finish on
/// the version they started with: each keeps the adapter it resolved, pinned for its life.
/// </summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterHotSwapTests(AdapterServerFixture server, ITestOutputHelper output)
{
    private const string Name = "hot-swap";
    private const int Streams = 10;

    [Fact]
    public async Task Upload_NewVersionWhileStreamsRun_OldStreamsFinishOnV1AndNewRequestsGetV2()
    {
        var key = new PublisherKey();
        var v1 = new SignedUpload(Name, server.Variant(601), key);
        var v2 = new SignedUpload(Name, server.Variant(602), key);
        await server.Http.PublishAsync(v1);
        var v1Alone = await ChatProbe.CompleteAsync(server, $"{Name}@sha256:{v1.Sha256}");

        var started = Enumerable.Range(0, Streams).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var streams = started.Select(signal => ChatProbe.StreamAsync(server, Name, signal)).ToList();
        await Task.WhenAll(started.Select(s => s.Task)).WaitAsync(TestTimeouts.Request);
        await server.Http.PublishAsync(v2 with { Timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
        output.WriteLine($"{streams.Count(s => !s.IsCompleted)} of {Streams} streams were still running when v2 was published");
        var old = await Task.WhenAll(streams).WaitAsync(TestTimeouts.Request);

        Assert.All(old, text => Assert.Equal(v1Alone, text));
        var v2Alone = await ChatProbe.CompleteAsync(server, $"{Name}@sha256:{v2.Sha256}");
        Assert.NotEqual(v1Alone, v2Alone);
        Assert.Equal(v2Alone, await ChatProbe.CompleteAsync(server, Name));
        Assert.Equal(v2.Sha256, (await server.Http.GetJsonAsync($"/v1/adapters/{Name}")).GetProperty("id").GetString());
    }
}
