using System.Text.RegularExpressions;

namespace OpenLoRA.Gguf.Peft;

/// <summary>Maps Hugging Face llama module names in PEFT tensors to llama.cpp tensor names.</summary>
internal static partial class PeftTensorNames
{
    private static readonly Dictionary<string, string> Projections = new(StringComparer.Ordinal)
    {
        ["self_attn.q_proj"] = "attn_q",
        ["self_attn.k_proj"] = "attn_k",
        ["self_attn.v_proj"] = "attn_v",
        ["self_attn.o_proj"] = "attn_output",
        ["mlp.gate_proj"] = "ffn_gate",
        ["mlp.up_proj"] = "ffn_up",
        ["mlp.down_proj"] = "ffn_down",
    };

    /// <summary>llama.cpp projection names in the order they appear in a block.</summary>
    private static readonly string[] BlockOrder = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];

    /// <summary>
    /// Returns the llama.cpp base tensor (e.g. <c>blk.3.attn_q.weight</c>) and whether this is lora_A, or a reason
    /// the tensor is not supported.
    /// </summary>
    public static (string? Target, bool IsA, string? Refusal) Map(string name)
    {
        if (EmbeddingName().IsMatch(name))
        {
            return (null, false, $"Tensor '{name}': LoRA on token embeddings is not supported.");
        }

        var match = TensorName().Match(name);
        if (!match.Success)
        {
            return (null, false, $"Tensor '{name}' is not a LoRA A/B weight of a supported module.");
        }

        var module = match.Groups["module"].Value;
        var isA = match.Groups["ab"].Value == "A";
        if (module == "lm_head")
        {
            return ("output.weight", isA, null);
        }

        if (module.Contains("embed", StringComparison.Ordinal))
        {
            return (null, false, $"Tensor '{name}': LoRA on token embeddings is not supported.");
        }

        var layer = LayerModule().Match(module);
        if (!layer.Success || !Projections.TryGetValue(layer.Groups["projection"].Value, out var projection))
        {
            return (null, false, $"Tensor '{name}': module '{module}' is not a supported llama projection (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, lm_head).");
        }

        return ($"blk.{int.Parse(layer.Groups["layer"].Value, System.Globalization.CultureInfo.InvariantCulture)}.{projection}.weight", isA, null);
    }

    /// <summary>Orders targets by layer, then projection as in a llama block, output last: a stable, readable file order.</summary>
    public static (int Layer, int Projection) SortKey(string target)
    {
        var parts = target.Split('.');
        if (parts.Length != 4 || parts[0] != "blk")
        {
            return (int.MaxValue, 0);
        }

        var projection = Array.IndexOf(BlockOrder, parts[2]);
        return (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), projection);
    }

    // PEFT names: base_model.model.<module>.lora_A.weight; older versions insert the adapter name (.default).
    [GeneratedRegex(@"^(?:base_model\.model\.)?(?<module>.+)\.lora_(?<ab>[AB])(?:\.default)?\.weight$")]
    private static partial Regex TensorName();

    // Embedding LoRA is saved as lora_embedding_A / lora_embedding_B, without ".weight".
    [GeneratedRegex(@"\.lora_embedding_[AB](?:\.default)?$")]
    private static partial Regex EmbeddingName();

    [GeneratedRegex(@"^(?:model\.)?layers\.(?<layer>[0-9]{1,4})\.(?<projection>(?:self_attn|mlp)\.[a-z_]+)$")]
    private static partial Regex LayerModule();
}
