using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

internal sealed record ModelListResponse(IReadOnlyList<ModelResponse> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
