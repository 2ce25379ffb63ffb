using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>The first delta carries the role, the following ones content, the last one nothing.</summary>
internal sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);
