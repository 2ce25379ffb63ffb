namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Hyper-parameters of a generated model; tensor shapes follow in ggml order (ne0 = input dimension). The positional
/// part is what every family has; the init properties default to plain llama (no biases, no extra norms, SwiGLU,
/// separate output head) and turn on each family's features (see <see cref="ArchitectureCatalog"/>).
/// </summary>
internal sealed record LlamaModelSpec(
    string Name,
    int Embedding,
    int Layers,
    int Heads,
    int KvHeads,
    int FeedForward,
    int ContextLength,
    GgmlType WeightType,
    ByteLevelVocabulary Vocabulary)
{
    public const float RmsEpsilon = 1e-5f;
    public const float RopeFreqBase = 10000f;

    /// <summary>The seven per-layer projections a LoRA adapter may target.</summary>
    public static readonly IReadOnlyList<string> Projections =
        ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];

    /// <summary><c>general.architecture</c> and the prefix of every model key.</summary>
    public string Architecture { get; init; } = "llama";

    /// <summary><c>{arch}.attention.key_length</c> (= value_length); 0: Embedding / Heads, and no key is written.</summary>
    public int KeyLength { get; init; }

    public float RopeBase { get; init; } = RopeFreqBase;

    /// <summary><c>{arch}.rope.scaling.type</c> ("linear", …) with <see cref="RopeScalingFactor"/>; null: not written.</summary>
    public string? RopeScalingType { get; init; }

    public float RopeScalingFactor { get; init; } = 1f;

    /// <summary>Llama 3 rope scaling: a <c>rope_freqs.weight</c> tensor of per-dimension factors (see <see cref="Llama3RopeFactors"/>).</summary>
    public Llama3RopeScaling? Llama3Rope { get; init; }

    /// <summary>Q/K/V biases (qwen2).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Per-head RMSNorm of Q and K before rope (qwen3, gemma3).</summary>
    public bool QkNorm { get; init; }

    /// <summary>attn_post_norm and ffn_post_norm, GeGLU, sqrt(E) embedding scale (gemma2, gemma3).</summary>
    public bool Gemma { get; init; }

    /// <summary>No <c>output.weight</c>: the head is <c>token_embd.weight</c>.</summary>
    public bool TiedOutput { get; init; }

    /// <summary><c>{arch}.attention.sliding_window</c>; 0: not written.</summary>
    public int SlidingWindow { get; init; }

    /// <summary><c>{arch}.attn_logit_softcapping</c> / <c>{arch}.final_logit_softcapping</c>; 0: not written.</summary>
    public float AttentionSoftcap { get; init; }

    public float FinalSoftcap { get; init; }

    public float NormEpsilon { get; init; } = RmsEpsilon;

    /// <summary>Norm weights uniform in 1 ± 0.25 instead of all ones, so a norm bound to the wrong tensor shows.</summary>
    public bool RandomNorms { get; init; }

    /// <summary>Q/K/V bias std when <see cref="QkvBias"/>: large enough that leaving a bias out changes the tokens.</summary>
    public float BiasStd { get; init; } = 0.5f;

    /// <summary><c>tokenizer.chat_template</c>.</summary>
    public string ChatTemplate { get; init; } = ChatTemplates.ChatMl;

    public int HeadDimension => KeyLength > 0 ? KeyLength : Embedding / Heads;

    public int QueryEmbedding => HeadDimension * Heads;

    public int KvEmbedding => HeadDimension * KvHeads;

    public int VocabularySize => Vocabulary.Count;

    public long[] ProjectionShape(string projection) => projection switch
    {
        "attn_q" => [Embedding, QueryEmbedding],
        "attn_output" => [QueryEmbedding, Embedding],
        "attn_k" or "attn_v" => [Embedding, KvEmbedding],
        "ffn_gate" or "ffn_up" => [Embedding, FeedForward],
        "ffn_down" => [FeedForward, Embedding],
        "output" => [Embedding, VocabularySize],
        _ => throw new ArgumentException($"unknown projection '{projection}'", nameof(projection)),
    };

    /// <summary>
    /// Standard deviation of a projection's weights. 1/sqrt(n_in) keeps activations near unit scale through every
    /// layer; the output head gets 3/sqrt(E) so logits after the final RMS norm have a std of about 3, enough for
    /// greedy decoding to depend on the context instead of always picking one token.
    /// </summary>
    public float WeightStd(string projection) => projection == "output"
        ? 3f / MathF.Sqrt(Embedding)
        : 1f / MathF.Sqrt(ProjectionShape(projection)[0]);
}
