namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Pairs the lora_A and lora_B tensors of a PEFT file by llama.cpp target and checks each pair against the config
/// and the base model before anything is written: 2-D, one dtype, ranks consistent with r, in/out features equal to
/// the base tensor's, and q/k output rows that split into the heads the permutation needs.
/// </summary>
internal static class PeftPairing
{
    public static IReadOnlyList<PeftLoraPair> Pair(SafetensorsFile file, PeftConfig config, BaseModelShapes shapes, int heads, int kvHeads, bool applyRotaryPermutation)
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
            if ((isA ? current.A : current.B) is { } earlier)
            {
                throw new PeftFormatException($"Tensors '{earlier.Name}' and '{tensor.Name}' are both lora_{(isA ? "A" : "B")} of {target}.");
            }

            halves[target] = isA ? (tensor, current.B) : (current.A, tensor);
        }

        if (halves.Count == 0)
        {
            throw new PeftFormatException("The safetensors file holds no LoRA tensors.");
        }

        var pairs = new List<PeftLoraPair>();
        foreach (var (target, (a, b)) in halves.OrderBy(h => PeftTensorNames.SortKey(h.Key)))
        {
            if (a is null || b is null)
            {
                throw new PeftFormatException($"{target}: '{(a ?? b)!.Name}' has no matching lora_{(a is null ? "A" : "B")}.");
            }

            CheckShapes(target, a, b, config, shapes);
            pairs.Add(new PeftLoraPair(target, a, b, applyRotaryPermutation ? PermuteHeads(target, b, heads, kvHeads) : 0));
        }

        return pairs;
    }

    private static void CheckShapes(string target, SafetensorsTensor a, SafetensorsTensor b, PeftConfig config, BaseModelShapes shapes)
    {
        if (a.Shape.Count != 2 || b.Shape.Count != 2)
        {
            throw new PeftFormatException($"{target}: LoRA tensors must be 2-D; lora_A is [{string.Join(", ", a.Shape)}] and lora_B [{string.Join(", ", b.Shape)}].");
        }

        if (a.DType != b.DType)
        {
            throw new PeftFormatException($"{target}: lora_A is {a.DType} but lora_B is {b.DType}.");
        }

        if (a.Shape[0] != b.Shape[1])
        {
            throw new PeftFormatException($"{target}: lora_A has rank {a.Shape[0]} but lora_B has rank {b.Shape[1]}.");
        }

        // With rank_pattern a module may have its own rank, which its tensors carry; llama.cpp reads each pair's rank
        // from its shape, so the scale stays lora_alpha / (that rank), as in PEFT.
        if (a.Shape[0] != config.Rank && !config.HasRankPattern)
        {
            throw new PeftFormatException($"{target}: rank {a.Shape[0]} differs from r = {config.Rank} in adapter_config.json (and there is no rank_pattern).");
        }

        if (!shapes.TryGetShape(target, out var baseShape) || baseShape.Count != 2)
        {
            throw new PeftFormatException(target == "output.weight"
                ? "The adapter targets lm_head, but the base model has no separate output.weight (its output is tied to the token embeddings)."
                : $"{target} is not a 2-D tensor of the base model.");
        }

        if (a.Shape[1] != baseShape[0] || b.Shape[0] != baseShape[1])
        {
            throw new PeftFormatException($"{target}: LoRA maps {a.Shape[1]} → {b.Shape[0]} features; the base tensor maps {baseShape[0]} → {baseShape[1]}.");
        }
    }

    private static int PermuteHeads(string target, SafetensorsTensor b, int heads, int kvHeads)
    {
        var (count, key) = target.EndsWith(".attn_q.weight", StringComparison.Ordinal) ? (heads, "head_count")
            : target.EndsWith(".attn_k.weight", StringComparison.Ordinal) ? (kvHeads, "head_count_kv")
            : (0, "");
        if (key.Length == 0)
        {
            return 0;
        }

        if (count < 1)
        {
            throw new PeftFormatException($"{target}: the base model has no llama.attention.{key}, which the rotary row permutation of q_proj/k_proj needs.");
        }

        if (!RotaryPermutation.CanSplit(b.Shape[0], count))
        {
            throw new PeftFormatException($"{target}: {b.Shape[0]} output rows do not split into {count} heads of even size (llama.attention.{key}).");
        }

        return count;
    }
}
