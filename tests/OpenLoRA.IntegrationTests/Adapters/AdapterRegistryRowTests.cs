using System.Net;
using Microsoft.Data.Sqlite;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// Bad rows already in the registry (written by an older version, which accepted any price, or by hand) cost only
/// their own adapter: the server starts, every listing answers without them, requests through them get 404
/// model_unavailable with the reason, and each is logged as an error and counted. Own server: the test edits its
/// database between two runs.
/// </summary>
public sealed class AdapterRegistryRowTests(AdapterServerFixture server) : IClassFixture<AdapterServerFixture>
{
    [Fact]
    public async Task Restart_WithUnbillableAndUnreadableRows_ServesEveryOtherAdapterAndExplainsTheBadOnes()
    {
        var key = new PublisherKey();
        await server.Http.PublishAsync(new SignedUpload("healthy", server.Variant(971), key));

        // Prices an older server accepted at upload: too large for billing's decimal arithmetic, finer than OPEN's
        // 18 decimals; and rows no version writes: text no price parser reads, a rank that is not a number.
        var rows = new Dictionary<string, string>
        {
            ["too-expensive"] = "UPDATE adapters SET price_input_per_1k = '100000000000' WHERE name = @name",
            ["too-fine"] = "UPDATE adapters SET price_output_per_1k = '0.0000000000000000001' WHERE name = @name",
            ["unparsable"] = "UPDATE adapters SET price_input_per_1k = 'twelve' WHERE name = @name",
            ["negative"] = "UPDATE adapters SET price_output_per_1k = '-1' WHERE name = @name",
            ["bad-targets"] = "UPDATE adapters SET targets = '{not json' WHERE name = @name",
        };
        var seed = 972;
        foreach (var name in rows.Keys)
        {
            await server.Http.PublishAsync(new SignedUpload(name, server.Variant(seed++), key));
        }

        await server.StopProcessAsync(graceful: true);
        Edit(rows);
        await server.StartAgainAsync();

        foreach (var (path, field) in new[] { ("/v1/models", "id"), ("/v1/prices", "model"), ("/v1/adapters", "name") })
        {
            var listed = (await server.Http.ListAsync(path)).Select(m => m.GetProperty(field).GetString()).ToList();
            Assert.Contains("healthy", listed);
            Assert.Contains(TestModels.Adapter, listed);
            Assert.DoesNotContain(listed, name => name is not null && rows.ContainsKey(name));
        }

        await ChatProbe.CompleteAsync(server, "healthy");
        foreach (var name in rows.Keys)
        {
            using var chat = await server.Http.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{name}}","messages":[{"role":"user","content":"hi"}],"max_tokens":4}"""));
            var error = await ErrorAssert.IsErrorAsync(chat, HttpStatusCode.NotFound, param: "model", code: "model_unavailable");
            Assert.Contains("upload it again", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            using var model = await server.Http.GetAsync($"/v1/models/{name}");
            await ErrorAssert.IsErrorAsync(model, HttpStatusCode.NotFound, code: "model_unavailable");
        }

        using var expensive = await server.Http.PostAsync("/v1/chat/completions", Json("""{"model":"too-expensive","messages":[{"role":"user","content":"hi"}]}"""));
        var reason = (await ErrorAssert.IsErrorAsync(expensive, HttpStatusCode.NotFound, code: "model_unavailable")).GetProperty("message").GetString();
        Assert.Contains("price_input_per_1k", reason, StringComparison.Ordinal);

        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains("openlora_adapter_registry_unreadable_rows_total 3", metrics, StringComparison.Ordinal);
        Assert.Contains("openlora_unbillable_adapters_total 2", metrics, StringComparison.Ordinal);
        Assert.Contains("registry row cannot be read", server.RecentOutput, StringComparison.Ordinal);
        Assert.Contains("is not a price billing can charge", server.RecentOutput, StringComparison.Ordinal);

        // The publisher repairs a bad row by uploading again under the name.
        await server.Http.PublishAsync(new SignedUpload("unparsable", server.Variant(990), key));
        await ChatProbe.CompleteAsync(server, "unparsable");
    }

    private void Edit(Dictionary<string, string> rows)
    {
        var path = Path.Combine(server.WorkDirectory, "data", "openlora.db");
        Assert.True(File.Exists(path), $"no registry database at {path}");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            foreach (var (name, sql) in rows)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.AddWithValue("@name", name);
                Assert.Equal(1, command.ExecuteNonQuery());
            }
        }
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
