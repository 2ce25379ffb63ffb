namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// How one GGUF <c>general.architecture</c> differs from plain llama in llama.cpp's graph at 815a2a591
/// (src/models/{llama,qwen2,qwen3,gemma2-iswa,gemma3}.cpp; docs/GGML-BACKEND.md "Architectures").
/// </summary>
/// <param name="NeoxRope">Rope pairs dimension i with i + d/2 (ggml mode 2) instead of 2i with 2i + 1 (mode 0).</param>
/// <param name="QkvBias">Q/K/V biases: required (qwen2), optional (llama: used when the file has them), or absent.</param>
/// <param name="QkNorm">Per-head RMSNorm of Q and K (attn_q_norm, attn_k_norm) before rope.</param>
/// <param name="Gemma">
/// Token embeddings scaled by sqrt(E), attn_post_norm and ffn_post_norm, GeGLU (gelu-tanh), queries scaled by
/// f_attention_scale before attention (kq scale 1), the head always tied (gemma2) or tied when output.weight is absent.
/// </param>
/// <param name="SlidingPattern">Layer l is a sliding-window layer when l % n &lt; n - 1 (llama.cpp's set_swa_pattern); 0: none.</param>
/// <param name="RopeFactors">Reads <c>rope_freqs.weight</c> (Llama 3 rope scaling) when present.</param>
/// <param name="OutputRequired">output.weight must be present (llama); otherwise token_embd.weight doubles as the head.</param>
/// <param name="OutputForbidden">output.weight must not be present (gemma2 always ties it).</param>
internal sealed record GgmlArchitecture(
    string Name,
    bool NeoxRope,
    GgmlBiasRule QkvBias,
    bool QkNorm,
    bool Gemma,
    int SlidingPattern,
    bool RopeFactors,
    bool OutputRequired,
    bool OutputForbidden)
{
    private static readonly Dictionary<string, GgmlArchitecture> Known = new(StringComparer.Ordinal)
    {
        ["llama"] = new("llama", false, GgmlBiasRule.Optional, false, false, 0, true, false, false),
        ["qwen2"] = new("qwen2", true, GgmlBiasRule.Required, false, false, 0, false, false, false),
        ["qwen3"] = new("qwen3", true, GgmlBiasRule.None, true, false, 0, false, false, false),
        ["gemma2"] = new("gemma2", true, GgmlBiasRule.None, false, true, 2, false, false, true),
        ["gemma3"] = new("gemma3", true, GgmlBiasRule.None, true, true, 6, false, false, false),
    };

    public static IEnumerable<string> Names => Known.Keys;

    public static GgmlArchitecture? Find(string? name) => name is not null && Known.TryGetValue(name, out var found) ? found : null;

    /// <summary>ggml_rope_ext's mode: GGML_ROPE_TYPE_NEOX = 2, normal = 0.</summary>
    public int RopeMode => NeoxRope ? 2 : 0;
}
