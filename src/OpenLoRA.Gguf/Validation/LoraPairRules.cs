namespace OpenLoRA.Gguf.Validation;

/// <summary>
/// Pairs <c>X.lora_a</c> with <c>X.lora_b</c> and checks each pair against base tensor X:
/// lora_a ne = [n_in, r], lora_b ne = [r, n_out] where X has ne = [n_in, n_out].
/// </summary>
internal static class LoraPairRules
{
    private const string TokenEmbedding = "token_embd.weight";

    public static string? Check(GgufFile file, BaseModelShapes baseModel, out int rank, out IReadOnlyList<string> targets)
    {
        rank = 0;
        targets = [];
        var pairs = new SortedDictionary<string, LoraPair>(StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
        {
            var isA = tensor.Name.EndsWith(LoraPair.SuffixA, StringComparison.Ordinal);
            if (!isA && !tensor.Name.EndsWith(LoraPair.SuffixB, StringComparison.Ordinal))
            {
                return $"tensor '{tensor.Name}' has an unknown suffix; LoRA tensor names end in '{LoraPair.SuffixA}' or '{LoraPair.SuffixB}'";
            }

            var target = tensor.Name[..^LoraPair.SuffixA.Length];
            if (!pairs.TryGetValue(target, out var pair))
            {
                pair = new LoraPair(target);
                pairs.Add(target, pair);
            }

            if (isA)
            {
                pair.A = tensor;
            }
            else
            {
                pair.B = tensor;
            }
        }

        foreach (var pair in pairs.Values)
        {
            var reason = CheckPair(pair, baseModel);
            if (reason is not null)
            {
                return reason;
            }

            rank = Math.Max(rank, (int)pair.A!.Dimensions[1]);
        }

        targets = [.. pairs.Keys];
        return null;
    }

    private static string? CheckPair(LoraPair pair, BaseModelShapes baseModel)
    {
        if (pair.A is null || pair.B is null)
        {
            var present = pair.A is null ? LoraPair.SuffixB : LoraPair.SuffixA;
            var missing = pair.A is null ? LoraPair.SuffixA : LoraPair.SuffixB;
            return $"tensor '{pair.Target}{present}' has no matching '{pair.Target}{missing}'";
        }

        if (pair.Target == TokenEmbedding || pair.Target.EndsWith("." + TokenEmbedding, StringComparison.Ordinal))
        {
            return $"adapters on '{pair.Target}' are not supported: llama.cpp applies them with a different (transposed) convention";
        }

        if (!baseModel.TryGetShape(pair.Target, out var weight))
        {
            return $"target '{pair.Target}' does not exist in the base model";
        }

        if (weight.Count != 2)
        {
            return $"target '{pair.Target}' has shape [{string.Join(", ", weight)}] in the base model; only 2-D weights can take a LoRA update";
        }

        var a = pair.A.Dimensions;
        var b = pair.B.Dimensions;
        if (a[0] != weight[0] || b[1] != weight[1])
        {
            return $"'{pair.A.Name}' {pair.A.ShapeText} and '{pair.B.Name}' {pair.B.ShapeText} do not fit base tensor '{pair.Target}' [{weight[0]}, {weight[1]}]; expected lora_a [{weight[0]}, r] and lora_b [r, {weight[1]}]";
        }

        if (a[1] != b[0])
        {
            return $"rank mismatch for '{pair.Target}': lora_a has rank {a[1]} but lora_b has rank {b[0]}";
        }

        return a[1] > int.MaxValue ? $"'{pair.A.Name}' has rank {a[1]}, which is too large" : null;
    }
}
