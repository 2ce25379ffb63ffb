using System.Net;
using Microsoft.Data.Sqlite;
using Nethereum.Signer;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>
/// Every signed publisher action, replayed within its timestamp's lifetime after a later change, is refused and
/// puts nothing back. The scenarios are keyed by <see cref="PublisherMessages.Titles"/>, so a new signed action
/// fails this test until it has a replay scenario (and a guard).
/// </summary>
[Collection(AttributionServerCollection.Name)]
public sealed class SignedActionReplayTests(AttributionServerFixture server)
{
    private static readonly IReadOnlyDictionary<string, Func<SignedActionReplayTests, Task>> Scenarios =
        new Dictionary<string, Func<SignedActionReplayTests, Task>>
        {
            [PublisherMessages.UploadTitle] = t => t.ReplayedUploadAsync(),
            [PublisherMessages.DeleteTitle] = t => t.ReplayedDeleteAsync(),
            [PublisherMessages.DatanetTitle] = t => t.ReplayedDatanetAsync(),
        };

    public static TheoryData<string> Titles() => [.. PublisherMessages.Titles];

    [Fact]
    public void Titles_EverySignedAction_HasAReplayScenario() =>
        Assert.Equal(PublisherMessages.Titles.Order(StringComparer.Ordinal), Scenarios.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Titles))]
    public Task SignedAction_ReplayedAfterALaterChange_Returns401SignatureReplayedAndChangesNothing(string title) => Scenarios[title](this);

    /// <summary>Version 1, then version 2; replaying version 1's upload must not make it live again.</summary>
    private async Task ReplayedUploadAsync()
    {
        var key = new PublisherKey();
        var first = new SignedUpload("replay-upload", server.Variant(311), key);
        await server.Http.PublishAsync(first);
        var second = new SignedUpload("replay-upload", server.Variant(312), key) { Timestamp = first.Timestamp + 1 };
        await server.Http.PublishAsync(second);

        using var replay = await server.Http.UploadAsync(first);

        await ErrorAssert.IsErrorAsync(replay, HttpStatusCode.Unauthorized, code: "signature_replayed");
        Assert.Equal(second.Sha256, (await server.Http.GetJsonAsync("/v1/adapters/replay-upload")).GetProperty("id").GetString());
    }

    /// <summary>Delete, publish again; replaying the delete must not take the new version down.</summary>
    private async Task ReplayedDeleteAsync()
    {
        var key = new PublisherKey();
        await server.Http.PublishAsync(new SignedUpload("replay-delete", server.Variant(313), key));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using (var deleted = await server.Http.DeleteAdapterAsync("replay-delete", key, timestamp))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var again = new SignedUpload("replay-delete", server.Variant(314), key);
        await server.Http.PublishAsync(again);

        using var replay = await server.Http.DeleteAdapterAsync("replay-delete", key, timestamp);

        await ErrorAssert.IsErrorAsync(replay, HttpStatusCode.Unauthorized, code: "signature_replayed");
        Assert.Equal(again.Sha256, (await server.Http.GetJsonAsync("/v1/adapters/replay-delete")).GetProperty("id").GetString());
    }

    /// <summary>Datanet 1, then Datanet 2; replaying Datanet 1's upload must not put it (and its contributors) back.</summary>
    private async Task ReplayedDatanetAsync()
    {
        var key = new PublisherKey();
        var upload = new SignedUpload("replay-datanet", server.Variant(315), key);
        await server.Http.PublishAsync(upload);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var older = TraceApi.Jsonl(("old", EthECKey.GenerateKey().GetPublicAddress(), "The older record, paid to its contributor."));
        var newer = TraceApi.Jsonl(("new", EthECKey.GenerateKey().GetPublicAddress(), "The newer record that replaced it."));
        using (var first = await server.Http.SendAsync(TraceApi.DatanetUpload("replay-datanet", upload.Sha256, older, key, timestamp)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using (var second = await server.Http.SendAsync(TraceApi.DatanetUpload("replay-datanet", upload.Sha256, newer, key, timestamp + 1)))
        {
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        }

        var current = AttachedDatanet(upload.Sha256);

        using var replay = await server.Http.SendAsync(TraceApi.DatanetUpload("replay-datanet", upload.Sha256, older, key, timestamp));

        await ErrorAssert.IsErrorAsync(replay, HttpStatusCode.Unauthorized, code: "signature_replayed");
        Assert.Equal(current, AttachedDatanet(upload.Sha256));
        Assert.Equal(TraceApi.Sha256Hex(newer), current);
    }

    /// <summary>The datanet_sha256 the database attaches to the adapter (no API lists it yet).</summary>
    private string? AttachedDatanet(string adapterSha256)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.WorkDirectory, "data", "openlora.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT datanet_sha256 FROM attribution_datanets WHERE adapter_sha256 = $sha";
        command.Parameters.AddWithValue("$sha", adapterSha256);
        return command.ExecuteScalar() as string;
    }
}
