using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <param name="Cost">What the request was charged, in OPEN as an exact decimal string; only when billing is on.</param>
internal sealed record UsageResponse(
    int PromptTokens,
    int CompletionTokens,
    int TotalTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cost = null);
