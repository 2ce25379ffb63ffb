using System.Net;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary><c>/v1/models</c>: base models and adapters, adapters naming their base model as <c>parent</c>.</summary>
public abstract class ModelsTests(ITestServer server)
{
    [Fact]
    public async Task GetModels_Client_ListsBaseModelAndAdapters()
    {
        var models = (await server.CreateModelClient().GetModelsAsync()).Value;

        var ids = models.Select(m => m.Id).ToList();
        Assert.Contains(TestModels.BaseModel, ids);
        Assert.All(TestModels.Adapters, adapter => Assert.Contains(adapter, ids));
        Assert.All(models, m => Assert.False(string.IsNullOrEmpty(m.OwnedBy)));
    }

    [Fact]
    public async Task GetModels_Raw_AdaptersHaveParent()
    {
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/v1/models"));
        var root = document.RootElement;

        Assert.Equal("list", root.GetProperty("object").GetString());
        var data = root.GetProperty("data").EnumerateArray().ToList();
        Assert.All(data, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 0);
            Assert.False(string.IsNullOrEmpty(m.GetProperty("owned_by").GetString()));
            Assert.Matches("^[0-9a-f]{64}$", m.GetProperty("sha256").GetString());
        });
        var baseModel = data.Single(m => m.GetProperty("id").GetString() == TestModels.BaseModel);
        Assert.Equal(JsonValueKind.Null, baseModel.GetProperty("parent").ValueKind);
        foreach (var adapter in TestModels.Adapters)
        {
            var entry = data.Single(m => m.GetProperty("id").GetString() == adapter);
            Assert.Equal(TestModels.BaseModel, entry.GetProperty("parent").GetString());
        }
    }

    [Fact]
    public async Task GetModel_Adapter_ReturnsIt()
    {
        var model = (await server.CreateModelClient().GetModelAsync(TestModels.Adapter)).Value;

        Assert.Equal(TestModels.Adapter, model.Id);
    }

    [Fact]
    public async Task GetModel_Unknown_Returns404()
    {
        using var response = await server.Http.GetAsync("/v1/models/no-such-model");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, "model", "model_not_found");
    }
}
