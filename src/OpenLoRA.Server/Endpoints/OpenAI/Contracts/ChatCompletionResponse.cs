using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>A non-streamed chat completion.</summary>
internal sealed record ChatCompletionResponse(
    [property: JsonPropertyOrder(-2)] string Id,
    long Created,
    string Model,
    IReadOnlyList<ChatCompletionChoice> Choices,
    UsageResponse Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceId = null)
{
    [JsonPropertyOrder(-1)]
    public string Object => "chat.completion";
}
