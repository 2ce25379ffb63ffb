namespace OpenLoRA.Gguf.Validation;

/// <summary>Adapter metadata keys llama.cpp reads with a typed getter, which aborts the process on a type mismatch.</summary>
internal static class AdapterKeys
{
    public const string GeneralType = "general.type";
    public const string Architecture = "general.architecture";
    public const string AdapterType = "adapter.type";
    public const string LoraAlpha = "adapter.lora.alpha";
    public const string Alignment = "general.alignment";

    /// <summary>Activated LoRA (aLoRA) invocation tokens: a feature the engine does not schedule, so refused.</summary>
    public const string AloraInvocationTokens = "adapter.alora.invocation_tokens";

    public static readonly IReadOnlyList<(string Key, GgufValueType Type)> Typed =
    [
        (GeneralType, GgufValueType.String),
        (Architecture, GgufValueType.String),
        (AdapterType, GgufValueType.String),
        (LoraAlpha, GgufValueType.Float32),
        (Alignment, GgufValueType.UInt32),
    ];
}
