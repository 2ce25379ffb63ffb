using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Attribution;

/// <summary>What a completed response contributes to its trace.</summary>
internal sealed record TracedResponse(
    string TraceId,
    ModelTarget Target,
    IReadOnlyList<int> PromptTokens,
    IReadOnlyList<int> CompletionTokenIds,
    long CreatedUnixMs);
