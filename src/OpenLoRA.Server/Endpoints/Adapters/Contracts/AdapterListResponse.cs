using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.Adapters.Contracts;

internal sealed record AdapterListResponse(IReadOnlyList<AdapterResponse> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
