using System.Net;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

[Collection(AdapterServerCollection.Name)]
public sealed class AdapterUploadTests(AdapterServerFixture server)
{
    [Fact]
    public async Task Upload_SignedGgufAdapter_IsListedWithItsMetadataAndServesChat()
    {
        var key = new PublisherKey();
        var upload = new SignedUpload("uploaded-story", server.Variant(101), key) { Description = "tells stories", PriceInput = "0.0025" };

        var adapter = await server.Http.PublishAsync(upload);

        Assert.Equal(upload.Sha256, adapter.GetProperty("id").GetString());
        Assert.Equal("adapter", adapter.GetProperty("object").GetString());
        Assert.Equal(upload.Sha256, adapter.GetProperty("sha256").GetString());
        Assert.Equal("uploaded-story", adapter.GetProperty("name").GetString());
        Assert.Equal(TestModels.BaseModel, adapter.GetProperty("base_model").GetString());
        Assert.Equal("tells stories", adapter.GetProperty("description").GetString());
        Assert.Equal(0.0025m, adapter.GetProperty("price_input_per_1k").GetDecimal());
        Assert.Equal(0.004m, adapter.GetProperty("price_output_per_1k").GetDecimal());
        Assert.Equal(key.Address, adapter.GetProperty("publisher").GetString());
        Assert.Equal(4, adapter.GetProperty("rank").GetInt32());
        Assert.NotEmpty(adapter.GetProperty("targets").EnumerateArray());
        Assert.Equal(upload.Weights.Length, adapter.GetProperty("size_bytes").GetInt64());
        Assert.Equal("gguf", adapter.GetProperty("format").GetString());
        Assert.Equal("upload", adapter.GetProperty("source").GetString());
        Assert.True(adapter.GetProperty("created").GetInt64() > 0);

        Assert.Contains(await server.Http.ListAsync("/v1/adapters"), a => a.GetProperty("id").GetString() == upload.Sha256);
        Assert.Equal(upload.Sha256, (await server.Http.GetJsonAsync("/v1/adapters/uploaded-story")).GetProperty("id").GetString());
        Assert.Equal("uploaded-story", (await server.Http.GetJsonAsync($"/v1/adapters/{upload.Sha256}")).GetProperty("name").GetString());
        var model = Assert.Single(await server.Http.ListAsync("/v1/models"), m => m.GetProperty("id").GetString() == "uploaded-story");
        Assert.Equal(TestModels.BaseModel, model.GetProperty("parent").GetString());
        Assert.Equal(upload.Sha256, model.GetProperty("sha256").GetString());

        var byName = await ChatProbe.CompleteAsync(server, "uploaded-story");
        Assert.Equal(byName, await ChatProbe.CompleteAsync(server, $"uploaded-story@sha256:{upload.Sha256}"));
    }

    [Fact]
    public async Task List_FolderAdapters_AreListedAsFolderSource()
    {
        var adapters = await server.Http.ListAsync("/v1/adapters");

        var folder = Assert.Single(adapters, a => a.GetProperty("name").GetString() == TestModels.Adapter);
        Assert.Equal("folder", folder.GetProperty("source").GetString());
        Assert.Equal("list", (await server.Http.GetJsonAsync("/v1/adapters")).GetProperty("object").GetString());
    }

    [Fact]
    public async Task Get_UnknownAdapter_Returns404AdapterNotFound()
    {
        using var response = await server.Http.GetAsync("/v1/adapters/no-such-adapter");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, code: "adapter_not_found");
    }

    [Fact]
    public async Task Upload_UnknownBaseModel_Returns400NamingBaseModel()
    {
        var upload = new SignedUpload("wrong-base", server.Variant(102), new PublisherKey()) { BaseModel = "no-such-base" };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "base_model");
    }

    [Theory]
    [InlineData("with@sign")]
    [InlineData("with space")]
    [InlineData("tiny-llama")]
    [InlineData("an-adapter-name-that-is-longer-than-sixty-four-characters-in-all-x")]
    public async Task Upload_BadName_Returns400NamingName(string name)
    {
        var upload = new SignedUpload(name, server.Variant(102), new PublisherKey());

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "name");
    }

    [Fact]
    public async Task Upload_ClaimedHashDiffers_Returns400Sha256Mismatch()
    {
        var upload = new SignedUpload("claims-wrong-hash", server.Variant(102), new PublisherKey()) { ClaimedSha256 = new string('a', 64) };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "sha256", code: "sha256_mismatch");
    }

    [Fact]
    public async Task Upload_NegativePrice_Returns400NamingPrice()
    {
        var upload = new SignedUpload("negative-price", server.Variant(102), new PublisherKey()) { PriceOutput = "-1" };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "price_output_per_1k");
    }
}
