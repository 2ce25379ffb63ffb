using System.Net;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Server;

namespace OpenLoRA.IntegrationTests.Operations;

/// <summary>The OpenAPI document and the reference page, from a real server.</summary>
[Collection(RealServerCollection.Name)]
public sealed class ApiDocumentationTests(SmallContextServerFixture server)
{
    [Fact]
    public async Task GetOpenApiDocument_ListsTheOpenAIAndAdapterOperations()
    {
        using var document = await GetDocumentAsync();
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/v1/chat/completions").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/v1/completions").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/v1/models").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/v1/models/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/v1/adapters").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/v1/adapters").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/v1/adapters/{id}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/health").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/metrics").TryGetProperty("get", out _));
        Assert.False(paths.TryGetProperty("/docs", out _));
    }

    [Fact]
    public async Task GetOpenApiDocument_ChatCompletions_DescribesBodyResponsesAndWireNames()
    {
        using var document = await GetDocumentAsync();
        var chat = document.RootElement.GetProperty("paths").GetProperty("/v1/chat/completions").GetProperty("post");

        Assert.Equal("CreateChatCompletion", chat.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrEmpty(chat.GetProperty("summary").GetString()));
        Assert.True(chat.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var responses = chat.GetProperty("responses");
        Assert.True(responses.TryGetProperty("200", out _));
        Assert.True(responses.TryGetProperty("429", out _));

        // Schemas carry the snake_case names the server reads and writes, not C#'s.
        var request = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ChatCompletionRequest").GetProperty("properties");
        Assert.True(request.TryGetProperty("max_completion_tokens", out _), request.ToString());
        Assert.False(request.TryGetProperty("maxCompletionTokens", out _));
        Assert.DoesNotContain("string", request.GetProperty("max_tokens").GetProperty("type").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDocs_ReturnsTheSelfContainedReferencePage()
    {
        using var response = await server.Http.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("/openapi/v1.json", html, StringComparison.Ordinal);

        // Nothing from outside the server: no script, style or font from another origin.
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
    }

    private async Task<JsonDocument> GetDocumentAsync()
    {
        using var response = await server.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
