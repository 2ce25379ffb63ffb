using System.Net;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary><c>/v1/completions</c> over raw HTTP: the OpenAI .NET client has no legacy completions API.</summary>
public abstract class CompletionsTests(ITestServer server)
{
    private const int MaxTokens = 6;

    [Theory]
    [InlineData(TestModels.BaseModel)]
    [InlineData(TestModels.Adapter)]
    public async Task Post_Model_ReturnsTextCompletion(string model)
    {
        using var response = await server.Http.PostJsonAsync("/v1/completions", $$"""
            {"model":"{{model}}","prompt":"Once upon a time","max_tokens":{{MaxTokens}},"temperature":0}
            """);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal("text_completion", root.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", root.GetProperty("id").GetString());
        Assert.Equal(model, root.GetProperty("model").GetString());
        var choice = Assert.Single(root.GetProperty("choices").EnumerateArray());
        Assert.Equal(JsonValueKind.String, choice.GetProperty("text").ValueKind);
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        UsageAssert.Consistent(root.GetProperty("usage"), choice.GetProperty("finish_reason").GetString(), MaxTokens);
    }

    [Fact]
    public async Task PostStreaming_IncludeUsage_StreamsTextCompletionChunks()
    {
        using var response = await server.Http.PostJsonAsync("/v1/completions", $$"""
            {"model":"{{TestModels.Adapter}}","prompt":"The quick brown fox","max_tokens":{{MaxTokens}},
             "stream":true,"stream_options":{"include_usage":true} }
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chunks = await SseEvents.ReadJsonUntilDoneAsync(response);
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        Assert.All(chunks, c => Assert.StartsWith("cmpl-", c.GetProperty("id").GetString()));
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        var finish = chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString();
        UsageAssert.Consistent(chunks[^1].GetProperty("usage"), finish, MaxTokens);
        Assert.All(chunks[..^2], c => Assert.Equal(JsonValueKind.String, c.GetProperty("choices")[0].GetProperty("text").ValueKind));
    }
}
