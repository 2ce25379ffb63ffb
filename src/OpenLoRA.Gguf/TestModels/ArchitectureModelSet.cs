namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// One generated architecture family at one size: the base model, its GGUF LoRA adapters and, in the same order,
/// their PEFT twins (folders holding adapter_config.json and adapter_model.safetensors with Hugging Face names).
/// </summary>
/// <param name="Family">e.g. "qwen2"; <see cref="TestModelGenerator.ArchitectureFamilies"/> lists them.</param>
/// <param name="Architecture">The file's <c>general.architecture</c> (mistral and llama3 files are "llama").</param>
public sealed record ArchitectureModelSet(
    string Family,
    string Architecture,
    ArchitectureModelSize Size,
    string BaseModelPath,
    IReadOnlyList<string> AdapterPaths,
    IReadOnlyList<string> PeftDirectories);
