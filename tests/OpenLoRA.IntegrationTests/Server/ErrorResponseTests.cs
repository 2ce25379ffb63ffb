using System.Net;
using System.Text;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>Every refusal comes back in OpenAI's error shape with the right status, param and code.</summary>
public abstract class ErrorResponseTests(ITestServer server)
{
    private const string Chat = "/v1/chat/completions";
    private const string Hello = """[{"role":"user","content":"Hi"}]""";

    /// <summary>Longer than the fixtures' 256-token context in any tokenizer (one token per word at least).</summary>
    private static readonly string LongText = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 400));

    [Fact]
    public async Task Post_MalformedJson_Returns400()
    {
        using var response = await server.Http.PostJsonAsync(Chat, """{"model": "tiny-llama", "messages": [""");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, code: "invalid_json");
    }

    [Fact]
    public async Task Post_WrongValueType_Returns400WithParam()
    {
        using var response = await server.Http.PostJsonAsync(Chat, $$"""{"model":"{{TestModels.BaseModel}}","messages":{{Hello}},"temperature":"hot"}""");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "temperature");
    }

    [Fact]
    public async Task Post_UnknownModel_Returns404ModelNotFound()
    {
        using var response = await server.Http.PostJsonAsync(Chat, $$"""{"model":"no-such-model","messages":{{Hello}}}""");

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, "model", "model_not_found");
        Assert.Contains("no-such-model", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Post_MissingModel_Returns400()
    {
        using var response = await server.Http.PostJsonAsync(Chat, $$"""{"messages":{{Hello}}}""");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "model");
    }

    [Fact]
    public async Task PostChat_PromptLongerThanContext_Returns400ContextLengthExceeded()
    {
        using var response = await server.Http.PostJsonAsync(Chat, $$"""
            {"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"{{LongText}}"}]}
            """);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "messages", "context_length_exceeded");
    }

    [Fact]
    public async Task PostCompletion_PromptLongerThanContext_Returns400ContextLengthExceeded()
    {
        using var response = await server.Http.PostJsonAsync("/v1/completions", $$"""
            {"model":"{{TestModels.Adapter}}","prompt":"{{LongText}}"}
            """);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "prompt", "context_length_exceeded");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task Post_NoMessages_Returns400(string messages)
    {
        using var response = await server.Http.PostJsonAsync(Chat, $$"""{"model":"{{TestModels.BaseModel}}","messages":{{messages}}}""");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "messages");
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("null")]
    public async Task PostCompletion_NoPrompt_Returns400(string prompt)
    {
        using var response = await server.Http.PostJsonAsync("/v1/completions", $$"""{"model":"{{TestModels.BaseModel}}","prompt":{{prompt}}}""");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "prompt");
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"n\":0", "n")]
    [InlineData("\"temperature\":2.5", "temperature")]
    [InlineData("\"temperature\":-0.1", "temperature")]
    [InlineData("\"top_p\":1.5", "top_p")]
    [InlineData("\"top_k\":-1", "top_k")]
    [InlineData("\"min_p\":2", "min_p")]
    [InlineData("\"frequency_penalty\":-2.5", "frequency_penalty")]
    [InlineData("\"presence_penalty\":3", "presence_penalty")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"max_completion_tokens\":-5", "max_completion_tokens")]
    [InlineData("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop")]
    [InlineData("\"stop\":[\"\"]", "stop")]
    [InlineData("\"stop\":[1]", "stop")]
    [InlineData("\"stream_options\":{\"include_usage\":true}", "stream_options")]
    [InlineData("\"messages\":[{\"role\":\"wizard\",\"content\":\"Hi\"}]", "messages[0].role")]
    [InlineData("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]", "messages[0].content")]
    public async Task Post_InvalidField_Returns400WithParam(string field, string param)
    {
        var messages = field.StartsWith("\"messages\"", StringComparison.Ordinal) ? "" : $"\"messages\":{Hello},";
        using var response = await server.Http.PostJsonAsync(Chat, $$"""{"model":"{{TestModels.BaseModel}}",{{messages}}{{field}}}""");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param);
    }

    [Fact]
    public async Task Post_BodyOverLimit_Returns413()
    {
        // 5 MiB of valid JSON, over the default 4 MiB limit. The server refuses on Content-Length alone and closes the
        // connection, so the client asks first (Expect: 100-continue, as curl does for large bodies) instead of
        // writing 5 MiB into a closed socket.
        var padding = new string('a', 5 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, Chat)
        {
            Content = new StringContent($$"""{"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"{{padding}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;

        using var response = await server.Http.SendAsync(request);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, code: "request_too_large");
    }

    [Theory]
    [InlineData("GET", "/v1/no-such-route")]
    [InlineData("POST", "/v1/engines/davinci/completions")]
    [InlineData("GET", "/no-such-page")]
    public async Task Send_UnknownRoute_Returns404(string method, string path)
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", Chat)]
    [InlineData("DELETE", "/v1/completions")]
    [InlineData("POST", "/v1/models")]
    public async Task Send_WrongMethod_Returns405(string method, string path)
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.MethodNotAllowed);
    }
}
