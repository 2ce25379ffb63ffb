using System.Text.Json.Serialization;

namespace OpenLoRA.Server.Endpoints.OpenAI.Contracts;

/// <summary>Price per 1,000 prompt and completion tokens in OPEN base units (18 decimals), platform fee included.</summary>
internal sealed record ModelPriceResponse(
    [property: JsonPropertyName("input_per_1k")] string InputPer1K,
    [property: JsonPropertyName("output_per_1k")] string OutputPer1K,
    string Currency);
