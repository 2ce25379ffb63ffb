using System.Text;
using OpenAI.Chat;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>Greedy chat requests whose text can be compared between adapters, pins and runs.</summary>
internal static class ChatProbe
{
    public const int MaxTokens = 48;

    private static readonly ChatMessage[] Messages = [new UserChatMessage("Tell me a story about a lighthouse.")];

    private static ChatCompletionOptions Options => new() { Temperature = 0f, MaxOutputTokenCount = MaxTokens };

    public static async Task<string> CompleteAsync(ITestServer server, string model)
    {
        ChatCompletion completion = await server.CreateChatClient(model).CompleteChatAsync(Messages, Options);
        Assert.Equal(model.Split('@')[0], completion.Model);
        Assert.True(completion.Usage.OutputTokenCount > 0, $"{model} generated nothing");
        return string.Concat(completion.Content.Select(part => part.Text));
    }

    /// <summary>Streams a completion; <paramref name="started"/> completes when the first chunk has arrived.</summary>
    public static async Task<string> StreamAsync(ITestServer server, string model, TaskCompletionSource started)
    {
        var text = new StringBuilder();
        await foreach (var update in server.CreateChatClient(model).CompleteChatStreamingAsync(Messages, Options))
        {
            started.TrySetResult();
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }
}
