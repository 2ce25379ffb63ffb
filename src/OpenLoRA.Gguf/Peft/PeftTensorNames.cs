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

    /// <summary>
    /// Returns the llama.cpp base tensor (e.g. <c>blk.3.attn_q.weight</c>) and whether this is lora_A, or a reason
    /// the tensor is not supported.
    /// </summary>
    public static (string? Target, bool IsA, string? Refusal) Map(string name)
    {
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
            return (null, false, $"Tensor '{name}': LoRA on embeddings is not supported.");
        }

        var layer = LayerModule().Match(module);
        if (!layer.Success || !Projections.TryGetValue(layer.Groups["projection"].Value, out var projection))
        {
            return (null, false, $"Tensor '{name}': module '{module}' is not a supported llama projection.");
        }

        return ($"blk.{layer.Groups["layer"].Value}.{projection}.weight", isA, null);
    }

    [GeneratedRegex(@"^(?:base_model\.model\.)?(?<module>.+)\.lora_(?<ab>[AB])(?:\.default)?\.weight$")]
    private static partial Regex TensorName();

    [GeneratedRegex(@"^(?:model\.)?layers\.(?<layer>\d{1,4})\.(?<projection>(?:self_attn|mlp)\.[a-z_]+)$")]
    private static partial Regex LayerModule();
}
