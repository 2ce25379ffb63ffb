using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>
/// One entry of <c>/v1/models</c>. <see cref="Parent"/> (the base model of an adapter, null for a base model) follows
/// vLLM's extension; <see cref="Sha256"/> is the content hash to pin with <c>name@sha256:&lt;hex&gt;</c>;
/// <see cref="Price"/> is what 1,000 tokens through it cost.
/// </summary>
internal sealed record ModelResponse(
    [property: JsonPropertyOrder(-2)] string Id,
    long Created,
    string OwnedBy,
    string? Parent,
    string Sha256,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ModelPriceResponse? Price = null)
{
    [JsonPropertyOrder(-1)]
    public string Object => "model";
}
