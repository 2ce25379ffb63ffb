namespace OpenLoRA.Gguf.Peft;

/// <summary>A PEFT adapter (safetensors + adapter_config.json) that cannot be converted, with the precise reason.</summary>
public sealed class PeftFormatException(string message) : Exception(message);
