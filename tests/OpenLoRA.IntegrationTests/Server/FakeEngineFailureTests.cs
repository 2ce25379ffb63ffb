using System.Net;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;
using OpenLoRA.IntegrationTests.Infrastructure.Fakes;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>Engine failures the real engine cannot be made to produce on demand, over the fake engine.</summary>
[Collection(FakeEngineCollection.Name)]
public sealed class FakeEngineFailureTests(FakeEngineServerFixture server)
{
    private const string Chat = "/v1/chat/completions";

    [Fact]
    public async Task Post_QueueFull_Returns429WithRetryAfter()
    {
        using var response = await PostChatAsync(FakeInferenceService.QueueFullMarker, stream: false);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded", type: "requests");
        Assert.Equal(FakeInferenceService.QueueFullRetryAfter, response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task PostStreaming_QueueFull_Returns429BeforeStreaming()
    {
        using var response = await PostChatAsync(FakeInferenceService.QueueFullMarker, stream: true);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.TooManyRequests, code: "rate_limit_exceeded", type: "requests");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_EngineThrows_Returns500WithoutDetails(bool stream)
    {
        using var response = await PostChatAsync(FakeInferenceService.ThrowMarker, stream);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.InternalServerError, type: "server_error");
        var text = error.GetRawText();
        Assert.DoesNotContain(FakeInferenceService.SecretDetail, text);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task Post_EngineFailsMidGeneration_Returns500()
    {
        using var response = await PostChatAsync(FakeInferenceService.FailMidStreamMarker, stream: false);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.InternalServerError, type: "server_error");
        Assert.DoesNotContain(FakeInferenceService.SecretDetail, error.GetRawText());
    }

    [Fact]
    public async Task PostStreaming_EngineFailsMidStream_SendsErrorEventAndEnds()
    {
        using var response = await PostChatAsync(FakeInferenceService.FailMidStreamMarker, stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseEvents.ReadDataAsync(response);
        Assert.DoesNotContain(SseEvents.Done, events);
        var error = ErrorAssert.IsErrorObject(events[^1]);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain(FakeInferenceService.SecretDetail, events[^1]);
        Assert.All(events[..^1], e => Assert.Equal("chat.completion.chunk", JsonDocument.Parse(e).RootElement.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task PostStreaming_ClientDisconnects_CancelsGeneration()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, Chat) { Content = ChatContent(FakeInferenceService.EndlessMarker, stream: true) })
        using (var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[256];
            Assert.True(await stream.ReadAsync(buffer) > 0);
        }

        await server.Engine.LastEndless.Cancelled.WaitAsync(TestTimeouts.Request);
    }

    [Fact]
    public async Task Post_DeadlinePasses_Returns504AndCancelsGeneration()
    {
        // The endless generation only ends when cancelled, so the deadline is the only way this request can end.
        using var request = ChatRequest(FakeInferenceService.EndlessMarker, stream: false, timeout: "0.2");
        using var response = await server.Http.SendAsync(request);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.GatewayTimeout, code: "deadline_exceeded", type: "server_error");
        await server.Engine.LastEndless.Cancelled.WaitAsync(TestTimeouts.Request);
    }

    [Fact]
    public async Task PostStreaming_DeadlinePasses_SendsDeadlineErrorEventAndEnds()
    {
        using var request = ChatRequest(FakeInferenceService.EndlessMarker, stream: true, timeout: "0.2");
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await SseEvents.ReadDataAsync(response);
        Assert.DoesNotContain(SseEvents.Done, events);
        var error = ErrorAssert.IsErrorObject(events[^1]);
        Assert.Equal("deadline_exceeded", error.GetProperty("code").GetString());
        await server.Engine.LastEndless.Cancelled.WaitAsync(TestTimeouts.Request);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1e400")]
    public async Task Post_InvalidTimeoutHeader_Returns400(string timeout)
    {
        using var request = ChatRequest("Hello", stream: false, timeout);
        using var response = await server.Http.SendAsync(request);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, code: "invalid_timeout");
    }

    [Fact]
    public async Task Post_TimeoutHeaderAboveLimit_IsClampedAndRequestSucceeds()
    {
        using var request = ChatRequest("Hello", stream: false, timeout: "99999999");
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithoutMaxTokens_UsesDefaultAndFinishes()
    {
        using var response = await PostChatAsync("Hello", stream: false);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(FakeGeneration.NaturalLength, document.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("stop", document.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    private Task<HttpResponseMessage> PostChatAsync(string content, bool stream) =>
        server.Http.PostAsync(Chat, ChatContent(content, stream));

    private static HttpRequestMessage ChatRequest(string content, bool stream, string timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Chat) { Content = ChatContent(content, stream) };
        request.Headers.TryAddWithoutValidation("OpenLoRA-Timeout", timeout);
        return request;
    }

    private static StringContent ChatContent(string content, bool stream) => new(
        $$"""{"model":"{{TestModels.Adapter}}","messages":[{"role":"user","content":"{{content}}"}],"stream":{{(stream ? "true" : "false")}}}""",
        System.Text.Encoding.UTF8,
        "application/json");
}
