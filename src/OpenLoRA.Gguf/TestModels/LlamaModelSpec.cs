namespace OpenLoRA.Gguf.TestModels;

/// <summary>Hyper-parameters of a generated llama model; tensor shapes follow in ggml order (ne0 = input dimension).</summary>
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

    public int HeadDimension => Embedding / Heads;

    public int KvEmbedding => HeadDimension * KvHeads;

    public int VocabularySize => Vocabulary.Count;

    public long[] ProjectionShape(string projection) => projection switch
    {
        "attn_q" or "attn_output" => [Embedding, Embedding],
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
