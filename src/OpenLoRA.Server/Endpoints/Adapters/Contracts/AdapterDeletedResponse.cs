using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.Adapters.Contracts;

/// <summary>The answer to a delete, shaped like OpenAI's <c>DELETE /v1/models/{id}</c> answer.</summary>
internal sealed record AdapterDeletedResponse(
    [property: JsonPropertyOrder(-2)] string Id,
    string Name,
    bool Deleted)
{
    [JsonPropertyOrder(-1)]
    public string Object => "adapter";
}
