using OpenLoRA.Server.Endpoints.OpenAI.Contracts;
using OpenLoRA.Server.Sse;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>How one endpoint (chat or legacy completions) shapes a generation's output; one instance per request.</summary>
internal interface IGenerationFormat
{
    /// <summary>The request field holding the prompt, named in prompt errors.</summary>
    string PromptParam { get; }

    ValueTask WriteStreamStartAsync(SseWriter sse, CancellationToken cancellationToken);

    ValueTask WriteStreamTextAsync(SseWriter sse, string text, CancellationToken cancellationToken);

    ValueTask WriteStreamFinishAsync(SseWriter sse, string finishReason, CancellationToken cancellationToken);

    /// <summary>The <c>include_usage</c> chunk: empty <c>choices</c>, final usage.</summary>
    ValueTask WriteStreamUsageAsync(SseWriter sse, UsageResponse usage, CancellationToken cancellationToken);

    Task WriteResponseAsync(HttpResponse response, string text, string finishReason, UsageResponse usage);
}
