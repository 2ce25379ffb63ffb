using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>`openlora adapters upload|delete` against the real server.</summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterCliTests(AdapterServerFixture server)
{
    [Fact]
    public async Task UploadThenDelete_WithKeyFromTheEnvironment_PublishesAndRemovesTheAdapter()
    {
        var key = new PublisherKey();
        var file = server.VariantPath(701);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        var environment = new Dictionary<string, string> { ["OPENLORA_PUBLISHER_KEY"] = key.PrivateKeyHex };

        var upload = await CliRun.StartAsync(
            ["adapters", "upload", "--server", server.BaseAddress.ToString(), "--name", "from-cli", "--base-model", TestModels.BaseModel,
             "--description", "uploaded by the CLI", "--price-in", "0.001", "--price-out", "0.003", file],
            environment);

        Assert.True(upload.ExitCode == 0, $"exit {upload.ExitCode}: {upload.Errors}{upload.Output}");
        var adapter = await server.Http.GetJsonAsync("/v1/adapters/from-cli");
        Assert.Equal(sha256, adapter.GetProperty("id").GetString());
        Assert.Equal(key.Address, adapter.GetProperty("publisher").GetString());
        Assert.Equal(0.003m, adapter.GetProperty("price_output_per_1k").GetDecimal());
        Assert.Contains(sha256, upload.Output);

        var delete = await CliRun.StartAsync(["adapters", "delete", "--server", server.BaseAddress.ToString(), "--key", key.PrivateKeyHex, "from-cli"]);

        Assert.True(delete.ExitCode == 0, $"exit {delete.ExitCode}: {delete.Errors}{delete.Output}");
        Assert.True(JsonDocument.Parse(delete.Output).RootElement.GetProperty("deleted").GetBoolean());
        using var gone = await server.Http.GetAsync("/v1/adapters/from-cli");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Upload_RefusedByTheServer_ExitsOneWithTheServerMessage()
    {
        var key = new PublisherKey();

        var upload = await CliRun.StartAsync(
            ["adapters", "upload", "--server", server.BaseAddress.ToString(), "--key", key.PrivateKeyHex, "--name", "cli-wrong-base",
             "--base-model", "no-such-base", server.VariantPath(702)]);

        Assert.Equal(1, upload.ExitCode);
        Assert.Contains("no-such-base", upload.Errors);
    }
}
