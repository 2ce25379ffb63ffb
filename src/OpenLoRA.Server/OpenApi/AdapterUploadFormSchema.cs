using System.ComponentModel;
using System.Text.Json.Serialization;

namespace OpenLoRA.Server.OpenApi;

/// <summary>
/// The <c>POST /v1/adapters</c> multipart form as the OpenAPI document describes it. Documentation only: the endpoint
/// streams the parts itself (UploadFormReader); the names match <c>UploadParts</c>.
/// </summary>
internal sealed class AdapterUploadFormSchema
{
    [Description("Adapter name: 1 to 64 of A-Z a-z 0-9 . _ -, never a base model's name.")]
    public required string Name { get; init; }

    [JsonPropertyName("base_model")]
    [Description("The base model the adapter was trained on.")]
    public required string BaseModel { get; init; }

    public string? Description { get; init; }

    [JsonPropertyName("price_input_per_1k")]
    [Description("Price in OPEN per 1,000 prompt tokens.")]
    public decimal? PriceInputPer1K { get; init; }

    [JsonPropertyName("price_output_per_1k")]
    [Description("Price in OPEN per 1,000 completion tokens.")]
    public decimal? PriceOutputPer1K { get; init; }

    [Description("Hex sha256 of the adapter file, as signed.")]
    public required string Sha256 { get; init; }

    [Description("Unix seconds of the signature.")]
    public required long Timestamp { get; init; }

    [Description("The publisher's 65-byte hex signature over the upload's fields; its signer becomes the publisher.")]
    public required string Signature { get; init; }

    [Description("A GGUF adapter (or send the two PEFT parts instead).")]
    public IFormFile? File { get; init; }

    [JsonPropertyName("adapter_model.safetensors")]
    [Description("PEFT weights (with adapter_config.json).")]
    public IFormFile? PeftWeights { get; init; }

    [JsonPropertyName("adapter_config.json")]
    [Description("PEFT config (with adapter_model.safetensors).")]
    public IFormFile? PeftConfig { get; init; }
}
