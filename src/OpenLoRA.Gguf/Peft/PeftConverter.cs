namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Converts a PEFT LoRA (adapter_model.safetensors + adapter_config.json) for a llama, qwen2, qwen3, gemma2 or gemma3 model into a
/// llama.cpp GGUF LoRA adapter, as llama.cpp's convert_lora_to_gguf.py does: Hugging Face module names become
/// llama.cpp tensor names, torch [r, in] / [out, r] data is already ggml's ne [in, r] / [r, out], the rows of q and
/// k B matrices of llama models get llama.cpp's rotary permutation (<see cref="RotaryPermutation"/>), and alpha is set so that
/// llama.cpp's alpha / r equals PEFT's scale (<see cref="PeftConfig.GgufAlpha"/>). The result is checked with
/// <see cref="AdapterValidator"/> before it is handed out; nothing is written to the destination otherwise.
/// Anything wrong with the PEFT inputs raises <see cref="PeftFormatException"/> with the reason; a malformed base
/// model file raises <see cref="GgufFormatException"/>, and I/O failures other than a missing input file raise the
/// usual I/O exceptions.
/// </summary>
public static class PeftConverter
{
    public const string WeightsFileName = "adapter_model.safetensors";
    public const string ConfigFileName = "adapter_config.json";

    private const long MaxConfigBytes = 1 << 20;

    /// <summary>Architectures whose Hugging Face projections (q_proj … down_proj) map onto llama.cpp's names one to one.</summary>
    private static readonly string[] SupportedArchitectures = ["llama", "qwen2", "qwen3", "gemma2", "gemma3"];

    /// <summary>Converts into <paramref name="output"/> (written only once the converted adapter is valid).</summary>
    public static PeftConversion Convert(string safetensorsPath, string configPath, BaseModelShapes baseModel, Stream output)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(output);
        var temp = Path.Combine(Path.GetTempPath(), $"openlora-peft-{Guid.NewGuid():N}.gguf");
        try
        {
            var conversion = ConvertTo(safetensorsPath, configPath, baseModel, baseModel.HeadCount, baseModel.KvHeadCount, temp, applyRotaryPermutation: true);
            using (var converted = File.OpenRead(temp))
            {
                converted.CopyTo(output);
            }

            output.Flush();
            return conversion;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Converts into <paramref name="outputPath"/>, replaced atomically once the converted adapter is valid.</summary>
    public static PeftConversion Convert(string safetensorsPath, string configPath, BaseModelShapes baseModel, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        return ConvertToFile(safetensorsPath, configPath, baseModel, baseModel.HeadCount, baseModel.KvHeadCount, outputPath, applyRotaryPermutation: true);
    }

    /// <summary>Reads the base model's header from <paramref name="baseModelPath"/> (not its weights), then converts.</summary>
    public static PeftConversion Convert(string safetensorsPath, string configPath, string baseModelPath, string outputPath) =>
        Convert(safetensorsPath, configPath, BaseModelShapes.FromFile(baseModelPath), outputPath);

    /// <summary>Converts against a base model read once (servers cache <see cref="PeftBaseModel"/> per model).</summary>
    public static PeftConversion Convert(string safetensorsPath, string configPath, PeftBaseModel baseModel, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        return ConvertToFile(safetensorsPath, configPath, baseModel.Shapes, baseModel.Heads, baseModel.KvHeads, outputPath, applyRotaryPermutation: true);
    }

    /// <param name="applyRotaryPermutation">False only in tests, to show that the permutation matters.</param>
    internal static PeftConversion Convert(string safetensorsPath, string configPath, string baseModelPath, string outputPath, bool applyRotaryPermutation)
    {
        var shapes = BaseModelShapes.FromFile(baseModelPath);
        return ConvertToFile(safetensorsPath, configPath, shapes, shapes.HeadCount, shapes.KvHeadCount, outputPath, applyRotaryPermutation);
    }

    private static PeftConversion ConvertToFile(string safetensorsPath, string configPath, BaseModelShapes shapes, int heads, int kvHeads, string outputPath, bool applyRotaryPermutation)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var conversion = ConvertTo(safetensorsPath, configPath, shapes, heads, kvHeads, temp, applyRotaryPermutation);
            File.Move(temp, full, overwrite: true);
            return conversion;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static PeftConversion ConvertTo(string safetensorsPath, string configPath, BaseModelShapes shapes, int heads, int kvHeads, string path, bool applyRotaryPermutation)
    {
        ArgumentException.ThrowIfNullOrEmpty(safetensorsPath);
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        if (!SupportedArchitectures.Contains(shapes.Architecture))
        {
            throw new PeftFormatException(
                $"PEFT conversion supports {string.Join(", ", SupportedArchitectures)} base models; the base model is '{shapes.Architecture}'.");
        }

        var config = ReadConfig(configPath);
        RequireFile(safetensorsPath, WeightsFileName);
        var safetensors = SafetensorsFile.Open(safetensorsPath);

        // convert_hf_to_gguf.py permutes q/k rows for llama files only (their rope pairs rows 2i, 2i+1); qwen2, qwen3
        // and gemma files keep Hugging Face's order, which their NEOX rope pairs as Hugging Face does (docs/MODELS.md
        // "PEFT conversion per architecture"). The base model's general.architecture decides, never a name.
        var permute = applyRotaryPermutation && shapes.Architecture == "llama";
        var pairs = PeftPairing.Pair(safetensors, config, shapes, heads, kvHeads, permute);
        PeftGgufWriter.Write(safetensors, pairs, shapes.Architecture, config.GgufAlpha, path);
        var validation = AdapterValidator.Validate(path, shapes);
        if (!validation.IsValid)
        {
            throw new PeftFormatException($"The converted adapter is invalid: {validation.Reason}");
        }

        return new PeftConversion(validation.Rank, validation.Alpha, validation.Targets);
    }

    private static PeftConfig ReadConfig(string configPath)
    {
        RequireFile(configPath, ConfigFileName);
        if (new FileInfo(configPath).Length > MaxConfigBytes)
        {
            throw new PeftFormatException($"{ConfigFileName} is larger than 1 MiB.");
        }

        return PeftConfig.Parse(File.ReadAllBytes(configPath));
    }

    /// <summary>A missing input is the caller's mistake, reported like a malformed one rather than as an I/O fault.</summary>
    private static void RequireFile(string path, string role)
    {
        if (!File.Exists(path))
        {
            throw new PeftFormatException($"The PEFT {role} '{path}' does not exist.");
        }
    }
}
