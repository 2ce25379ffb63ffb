namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Converts a PEFT LoRA (adapter_model.safetensors + adapter_config.json) for a llama-family model into a llama.cpp
/// GGUF LoRA adapter: Hugging Face module names become llama.cpp tensor names, torch [r, in] / [out, r] data is
/// already ggml's ne [in, r] / [r, out], q and k B matrices get llama.cpp's rotary row permutation, and alpha is
/// set so llama.cpp's alpha / r equals PEFT's scale. The result must pass <see cref="AdapterValidator"/>.
/// </summary>
public static class PeftConverter
{
    private const long MaxConfigBytes = 1 << 20;

    public static PeftConversion Convert(string safetensorsPath, string configPath, string baseModelPath, string outputPath) =>
        Convert(safetensorsPath, configPath, PeftBaseModel.FromFile(baseModelPath), outputPath, applyRotaryPermutation: true);

    /// <summary>Converts against a base model read once (servers cache <see cref="PeftBaseModel"/> per model).</summary>
    public static PeftConversion Convert(string safetensorsPath, string configPath, PeftBaseModel baseModel, string outputPath) =>
        Convert(safetensorsPath, configPath, baseModel, outputPath, applyRotaryPermutation: true);

    /// <param name="applyRotaryPermutation">False only in tests, to show the permutation matters.</param>
    internal static PeftConversion Convert(string safetensorsPath, string configPath, string baseModelPath, string outputPath, bool applyRotaryPermutation) =>
        Convert(safetensorsPath, configPath, PeftBaseModel.FromFile(baseModelPath), outputPath, applyRotaryPermutation);

    private static PeftConversion Convert(string safetensorsPath, string configPath, PeftBaseModel baseModel, string outputPath, bool applyRotaryPermutation)
    {
        if (new FileInfo(configPath).Length > MaxConfigBytes)
        {
            throw new PeftFormatException("adapter_config.json is larger than 1 MiB.");
        }

        var config = PeftConfig.Parse(File.ReadAllText(configPath));
        var (shapes, heads, kvHeads) = baseModel;
        var safetensors = SafetensorsFile.Open(safetensorsPath);
        var pairs = Pair(safetensors, config, shapes);
        var writer = new GgufWriter()
            .Add("general.architecture", GgufValue.From(shapes.Architecture))
            .Add("general.type", GgufValue.From("adapter"))
            .Add("adapter.type", GgufValue.From("lora"))
            .Add("adapter.lora.alpha", GgufValue.From(config.GgufAlpha));
        foreach (var (target, (a, b)) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var type = TypeOf(a);
            var aBytes = safetensors.ReadBytes(a);
            var bBytes = safetensors.ReadBytes(b);
            var outRows = (int)b.Shape[0];
            var permuteHeads = target.EndsWith(".attn_q.weight", StringComparison.Ordinal) ? heads
                : target.EndsWith(".attn_k.weight", StringComparison.Ordinal) ? kvHeads : 0;
            if (applyRotaryPermutation && permuteHeads > 0)
            {
                bBytes = RotaryPermutation.PermuteRows(bBytes, outRows, (int)b.Shape[1] * b.ElementSize, permuteHeads);
            }

            writer.AddTensor(target + ".lora_a", type, [a.Shape[1], a.Shape[0]], data => data.WriteBytes(aBytes));
            writer.AddTensor(target + ".lora_b", type, [b.Shape[1], b.Shape[0]], data => data.WriteBytes(bBytes));
        }

        writer.WriteTo(outputPath);
        var validation = AdapterValidator.Validate(outputPath, shapes);
        if (!validation.IsValid)
        {
            File.Delete(outputPath);
            throw new PeftFormatException($"The converted adapter is invalid: {validation.Reason}");
        }

        return new PeftConversion(config.Rank, config.GgufAlpha, validation.Targets);
    }

    private static Dictionary<string, (SafetensorsTensor A, SafetensorsTensor B)> Pair(SafetensorsFile file, PeftConfig config, BaseModelShapes shapes)
    {
        var halves = new Dictionary<string, (SafetensorsTensor? A, SafetensorsTensor? B)>(StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
        {
            var (target, isA, refusal) = PeftTensorNames.Map(tensor.Name);
            if (target is null)
            {
                throw new PeftFormatException(refusal!);
            }

            var current = halves.GetValueOrDefault(target);
            if ((isA ? current.A : current.B) is not null)
            {
                throw new PeftFormatException($"Tensor '{tensor.Name}' appears twice for {target}.");
            }

            halves[target] = isA ? (tensor, current.B) : (current.A, tensor);
        }

        if (halves.Count == 0)
        {
            throw new PeftFormatException("The safetensors file holds no LoRA tensors.");
        }

        var pairs = new Dictionary<string, (SafetensorsTensor A, SafetensorsTensor B)>(StringComparer.Ordinal);
        foreach (var (target, (a, b)) in halves)
        {
            if (a is null || b is null)
            {
                throw new PeftFormatException($"{target} has lora_{(a is null ? "A" : "B")} missing.");
            }

            CheckShapes(target, a, b, config, shapes);
            pairs[target] = (a, b);
        }

        return pairs;
    }

    private static void CheckShapes(string target, SafetensorsTensor a, SafetensorsTensor b, PeftConfig config, BaseModelShapes shapes)
    {
        if (a.Shape.Count != 2 || b.Shape.Count != 2)
        {
            throw new PeftFormatException($"{target}: LoRA tensors must be 2-D.");
        }

        if (a.DType != b.DType)
        {
            throw new PeftFormatException($"{target}: lora_A is {a.DType} but lora_B is {b.DType}.");
        }

        if (a.Shape[0] != config.Rank || b.Shape[1] != config.Rank)
        {
            throw new PeftFormatException($"{target}: rank {a.Shape[0]}/{b.Shape[1]} differs from r = {config.Rank} in adapter_config.json.");
        }

        if (!shapes.TryGetShape(target, out var baseShape) || baseShape.Count != 2)
        {
            throw new PeftFormatException($"{target} is not a 2-D tensor of the base model.");
        }

        if (a.Shape[1] != baseShape[0] || b.Shape[0] != baseShape[1])
        {
            throw new PeftFormatException($"{target}: LoRA maps {a.Shape[1]} → {b.Shape[0]} features; the base tensor maps {baseShape[0]} → {baseShape[1]}.");
        }
    }

    private static GgmlType TypeOf(SafetensorsTensor tensor) => tensor.DType switch
    {
        "F32" => GgmlType.F32,
        "F16" => GgmlType.F16,
        "BF16" => GgmlType.BF16,
        _ => throw new PeftFormatException($"Tensor '{tensor.Name}' has dtype {tensor.DType}; only F32, F16 and BF16 are supported."),
    };
}
