using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>The upload size limit, and the per-route body limit beside the global one (<see cref="SmallUploadLimitServerFixture"/>).</summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterUploadLimitTests(SmallUploadLimitServerFixture server) : IClassFixture<SmallUploadLimitServerFixture>
{
    [Fact]
    public async Task Upload_FileOverMaxAdapterBytes_Returns413AdapterTooLarge()
    {
        var weights = server.Variant(501, "tiny-attn-r4");
        Assert.True(weights.Length > SmallUploadLimitServerFixture.MaxAdapterBytes);

        using var response = await server.Http.UploadAsync(new SignedUpload("too-large", weights, new PublisherKey()));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, code: "adapter_too_large");
        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
    }

    // Expect: 100-continue lets the server refuse on the declared length before the client sends the body.
    [Fact]
    public async Task Upload_DeclaredLengthFarOverTheLimit_Returns413BeforeTheBodyIsSent()
    {
        var upload = new SignedUpload("far-too-large", new byte[3 * 1024 * 1024], new PublisherKey());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/adapters") { Content = upload.ToContent() };
        request.Headers.ExpectContinue = true;

        using var response = await server.Http.SendAsync(request);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, code: "adapter_too_large");
    }

    [Fact]
    public async Task Upload_UnderAdapterLimitButOverTheGlobalBodyLimit_Returns201()
    {
        var weights = server.Variant(502, "tiny-all-r2");
        Assert.InRange(weights.Length, SmallUploadLimitServerFixture.MaxRequestBodyBytes + 1, SmallUploadLimitServerFixture.MaxAdapterBytes);

        await server.Http.PublishAsync(new SignedUpload("fits", weights, new PublisherKey()));
    }

    [Fact]
    public async Task ChatCompletions_BodyOverTheGlobalLimit_StillReturns413RequestTooLarge()
    {
        var padding = new string('x', (int)SmallUploadLimitServerFixture.MaxRequestBodyBytes);
        using var content = new StringContent(
            $$"""{"model":"{{TestModels.Adapter}}","messages":[{"role":"user","content":"{{padding}}"}]}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await server.Http.PostAsync("/v1/chat/completions", content);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, code: "request_too_large");
    }
}
