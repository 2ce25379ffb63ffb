namespace OpenLoRA.Gguf.Peft;

/// <summary>What a PEFT conversion needs from the base model: tensor shapes and the head counts of the q/k permutation.</summary>
public sealed record PeftBaseModel(BaseModelShapes Shapes, int Heads, int KvHeads)
{
    /// <summary>Reads the base model's GGUF header (not its weights).</summary>
    public static PeftBaseModel FromFile(string baseModelPath)
    {
        var file = GgufReader.Read(baseModelPath);
        var shapes = BaseModelShapes.FromGguf(file);
        if (shapes.Architecture != "llama")
        {
            throw new PeftFormatException($"PEFT conversion supports the llama family; the base model is '{shapes.Architecture}'.");
        }

        var heads = (int)HeadCount(file, "llama.attention.head_count");
        var kvHeads = file.TryGetValue("llama.attention.head_count_kv", out _) ? (int)HeadCount(file, "llama.attention.head_count_kv") : heads;
        return new PeftBaseModel(shapes, heads, kvHeads);
    }

    private static uint HeadCount(GgufFile file, string key) =>
        file.TryGetValue(key, out var value) && value.TryGet<uint>(out var count) && count > 0
            ? count
            : throw new PeftFormatException($"The base model has no valid {key}.");
}
