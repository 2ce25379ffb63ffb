using System.Text.Json.Serialization;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Server.Endpoints.Adapters.Contracts;

/// <summary>One adapter as <c>/v1/adapters</c> describes it; <see cref="Id"/> is its content hash.</summary>
internal sealed record AdapterResponse(
    [property: JsonPropertyOrder(-2)] string Id,
    string Name,
    string BaseModel,
    string? Description,
    [property: JsonPropertyName("price_input_per_1k")] decimal PriceInputPer1K,
    [property: JsonPropertyName("price_output_per_1k")] decimal PriceOutputPer1K,
    string? Publisher,
    string Sha256,
    int Rank,
    IReadOnlyList<string> Targets,
    long SizeBytes,
    string Format,
    string Source,
    long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "adapter";

    public static AdapterResponse From(AdapterInfo adapter) => new(
        adapter.Sha256,
        adapter.Name,
        adapter.BaseModel,
        adapter.Description,
        adapter.PriceInputPer1K,
        adapter.PriceOutputPer1K,
        adapter.Publisher,
        adapter.Sha256,
        adapter.Rank,
        adapter.Targets,
        adapter.SizeBytes,
        adapter.Format,
        adapter.Source,
        adapter.Created.ToUnixTimeSeconds());
}
