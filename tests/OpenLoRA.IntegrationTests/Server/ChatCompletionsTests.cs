using System.Net;
using System.Text.Json;
using OpenAI.Chat;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>
/// <c>/v1/chat/completions</c> through the official client and raw HTTP. Models with random weights say anything,
/// so these check shapes, counts and finish reasons, never text.
/// </summary>
public abstract class ChatCompletionsTests(ITestServer server)
{
    private const int MaxTokens = 8;

    [Theory]
    [InlineData(TestModels.BaseModel)]
    [InlineData(TestModels.Adapter)]
    public async Task CompleteChat_Model_ReturnsOpenAIShape(string model)
    {
        var client = server.CreateChatClient(model);

        ChatCompletion completion = await client.CompleteChatAsync(
            [new UserChatMessage("Say hello.")],
            new ChatCompletionOptions { MaxOutputTokenCount = MaxTokens, Temperature = 0 });

        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal(model, completion.Model);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.True(completion.CreatedAt > DateTimeOffset.UnixEpoch);
        AssertUsage(completion.Usage, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChatStreaming_WithUsage_FirstUpdateHasRoleAndLastHasUsage()
    {
        var client = server.CreateChatClient(TestModels.Adapter);
        var updates = new List<StreamingChatCompletionUpdate>();

        await foreach (var update in client.CompleteChatStreamingAsync(
            [new SystemChatMessage("You are terse."), new UserChatMessage("Count to three.")],
            new ChatCompletionOptions { MaxOutputTokenCount = MaxTokens }))
        {
            updates.Add(update);
        }

        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.All(updates, u => Assert.StartsWith("chatcmpl-", u.CompletionId));
        Assert.Single(updates.Select(u => u.CompletionId).Distinct());
        Assert.All(updates, u => Assert.Equal(TestModels.Adapter, u.Model));
        var finish = Assert.Single(updates, u => u.FinishReason is not null).FinishReason;
        var usage = updates[^1].Usage;
        Assert.NotNull(usage);
        AssertUsage(usage, finish!.Value);
    }

    [Fact]
    public async Task PostStreaming_IncludeUsage_SendsOpenAIChunkSequence()
    {
        using var response = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"Hi"}],
             "max_tokens":{{MaxTokens}},"stream":true,"stream_options":{"include_usage":true} }
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoCache);
        var chunks = await SseEvents.ReadJsonUntilDoneAsync(response);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());

        var first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("assistant", first.GetProperty("delta").GetProperty("role").GetString());

        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var finish = chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString();
        UsageAssert.Consistent(usageChunk.GetProperty("usage"), finish, MaxTokens);
        Assert.All(chunks[..^2], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task PostStreaming_WithoutIncludeUsage_SendsNoUsageChunk()
    {
        using var response = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":{{MaxTokens}},"stream":true}
            """);

        var chunks = await SseEvents.ReadJsonUntilDoneAsync(response);
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task Post_ContentAsTextPartsAndAllSamplingFields_Succeeds()
    {
        using var response = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{TestModels.Adapter}}",
             "messages":[{"role":"developer","content":"Be brief."},
                         {"role":"user","content":[{"type":"text","text":"Hello"},{"type":"text","text":"there"}]},
                         {"role":"assistant","content":null},
                         {"role":"user","content":"Again"}],
             "max_completion_tokens":3,"temperature":0.7,"top_p":0.9,"top_k":40,"min_p":0.05,"seed":-42,
             "frequency_penalty":0.5,"presence_penalty":-0.5,"stop":["\n\n","###"],"n":1,"user":"tester","stream":false,
             "logprobs":false,"unknown_field":{"ignored":true} }
            """);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString());
        Assert.Equal(TestModels.Adapter, root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("created").GetInt64() > 0);
        var choice = Assert.Single(root.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.String, choice.GetProperty("message").GetProperty("content").ValueKind);
        Assert.InRange(root.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 0, 3);
    }

    [Fact]
    public async Task Post_StopAsString_Succeeds()
    {
        using var response = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":4,"stop":"."}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_PinnedAdapterHash_ResolvesAdapter()
    {
        using var models = JsonDocument.Parse(await server.Http.GetStringAsync("/v1/models"));
        var adapter = models.RootElement.GetProperty("data").EnumerateArray().First(m => m.GetProperty("id").GetString() == TestModels.Adapter);
        var pinned = $"{TestModels.Adapter}@sha256:{adapter.GetProperty("sha256").GetString()}";

        using var response = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{pinned}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":2}
            """);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(TestModels.Adapter, document.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Post_PinnedWrongHash_Returns404()
    {
        using var response = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""
            {"model":"{{TestModels.Adapter}}@sha256:{{new string('0', 64)}}","messages":[{"role":"user","content":"Hi"}]}
            """);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, "model", "model_not_found");
    }

    private static void AssertUsage(ChatTokenUsage usage, ChatFinishReason finish)
    {
        var reason = finish switch
        {
            ChatFinishReason.Stop => "stop",
            ChatFinishReason.Length => "length",
            _ => finish.ToString(),
        };
        UsageAssert.Consistent(usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount, reason, MaxTokens);
    }
}
