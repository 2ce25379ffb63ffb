namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>The part names of the <c>POST /v1/adapters</c> form.</summary>
internal static class UploadParts
{
    public const string Name = "name";
    public const string BaseModel = "base_model";
    public const string Description = "description";
    public const string PriceInput = "price_input_per_1k";
    public const string PriceOutput = "price_output_per_1k";
    public const string Sha256 = "sha256";
    public const string Timestamp = "timestamp";
    public const string Signature = "signature";
    public const string Publisher = "publisher";

    /// <summary>A GGUF adapter.</summary>
    public const string File = "file";

    /// <summary>A PEFT adapter: its weights and its config, both required.</summary>
    public const string PeftWeights = "adapter_model.safetensors";
    public const string PeftConfig = "adapter_config.json";

    /// <summary>Every text field the form may carry; any other is refused, never ignored.</summary>
    public static IReadOnlySet<string> Fields { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Name, BaseModel, Description, PriceInput, PriceOutput, Sha256, Timestamp, Signature, Publisher };
}
