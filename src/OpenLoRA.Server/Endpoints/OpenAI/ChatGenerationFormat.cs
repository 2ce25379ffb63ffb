using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Http;
using OpenLoRA.Server.Sse;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary><c>chat.completion</c> and <c>chat.completion.chunk</c> objects.</summary>
/// <remarks><paramref name="traceId"/> (the response's attribution trace, when traced) is in every object written.</remarks>
internal sealed class ChatGenerationFormat(string id, long created, string model, string? traceId = null) : IGenerationFormat
{
    private const string AssistantRole = "assistant";

    public string PromptParam => "messages";

    // OpenAI's first chunk carries the role and empty content; clients key the message on it.
    public ValueTask WriteStreamStartAsync(SseWriter sse, CancellationToken cancellationToken) =>
        WriteChunkAsync(sse, new ChatDelta(AssistantRole, ""), null, cancellationToken);

    public ValueTask WriteStreamTextAsync(SseWriter sse, string text, CancellationToken cancellationToken) =>
        WriteChunkAsync(sse, new ChatDelta(null, text), null, cancellationToken);

    public ValueTask WriteStreamFinishAsync(SseWriter sse, string finishReason, CancellationToken cancellationToken) =>
        WriteChunkAsync(sse, new ChatDelta(null, null), finishReason, cancellationToken);

    public ValueTask WriteStreamUsageAsync(SseWriter sse, UsageResponse usage, CancellationToken cancellationToken) =>
        sse.WriteAsync(new ChatCompletionChunk(id, created, model, [], usage, traceId), ServerJsonContext.Default.ChatCompletionChunk, cancellationToken);

    public Task WriteResponseAsync(HttpResponse response, string text, string finishReason, UsageResponse usage) =>
        JsonResponse.WriteAsync(
            response,
            StatusCodes.Status200OK,
            new ChatCompletionResponse(id, created, model, [new ChatCompletionChoice(0, new ChatResponseMessage(AssistantRole, text), finishReason)], usage, traceId),
            ServerJsonContext.Default.ChatCompletionResponse);

    private ValueTask WriteChunkAsync(SseWriter sse, ChatDelta delta, string? finishReason, CancellationToken cancellationToken) =>
        sse.WriteAsync(
            new ChatCompletionChunk(id, created, model, [new ChatChunkChoice(0, delta, finishReason)], null, traceId),
            ServerJsonContext.Default.ChatCompletionChunk,
            cancellationToken);
}
