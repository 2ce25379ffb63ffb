using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Http;
using OpenLoRA.Server.Sse;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary><c>text_completion</c> objects, streamed or not (OpenAI uses the same shape for both).</summary>
/// <remarks><paramref name="traceId"/> (the response's attribution trace, when traced) is in every object written.</remarks>
internal sealed class CompletionGenerationFormat(string id, long created, string model, string? traceId = null) : IGenerationFormat
{
    public string PromptParam => "prompt";

    // Legacy completions have no role chunk: the first event already carries text.
    public ValueTask WriteStreamStartAsync(SseWriter sse, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask WriteStreamTextAsync(SseWriter sse, string text, CancellationToken cancellationToken) =>
        WriteChunkAsync(sse, [new CompletionChoice(text, 0, null)], null, cancellationToken);

    public ValueTask WriteStreamFinishAsync(SseWriter sse, string finishReason, CancellationToken cancellationToken) =>
        WriteChunkAsync(sse, [new CompletionChoice("", 0, finishReason)], null, cancellationToken);

    public ValueTask WriteStreamUsageAsync(SseWriter sse, UsageResponse usage, CancellationToken cancellationToken) =>
        WriteChunkAsync(sse, [], usage, cancellationToken);

    public Task WriteResponseAsync(HttpResponse response, string text, string finishReason, UsageResponse usage) =>
        JsonResponse.WriteAsync(
            response,
            StatusCodes.Status200OK,
            new CompletionResponse(id, created, model, [new CompletionChoice(text, 0, finishReason)], usage, traceId),
            ServerJsonContext.Default.CompletionResponse);

    private ValueTask WriteChunkAsync(SseWriter sse, IReadOnlyList<CompletionChoice> choices, UsageResponse? usage, CancellationToken cancellationToken) =>
        sse.WriteAsync(new CompletionResponse(id, created, model, choices, usage, traceId), ServerJsonContext.Default.CompletionResponse, cancellationToken);
}
