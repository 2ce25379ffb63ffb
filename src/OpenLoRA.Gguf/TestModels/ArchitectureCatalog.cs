namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// The architecture families llama.cpp runs and the ggml backend mirrors, each as a generated model with that
/// architecture's tensor set and metadata (docs/MODELS.md "Architecture test models"). Numbers that differ from the
/// released models on purpose: Llama 3's original context is 64 (small) so its rope factors change positions a test
/// reaches; the soft-caps of the small gemma2 (2 and 8 instead of 50 and 30) bend logits of the size random weights
/// give; sliding windows are 32 (small) and 256 (bench) so test prompts cross them.
/// </summary>
internal static class ArchitectureCatalog
{
    public static readonly IReadOnlyList<string> Families = ["llama3", "mistral", "llama-linear", "qwen2", "qwen3", "gemma2", "gemma3"];

    private static readonly string[] Attention = ["attn_q", "attn_k", "attn_v", "attn_output"];
    private static readonly string[] Mlp = ["ffn_gate", "ffn_up", "ffn_down"];

    private static readonly Lazy<ByteLevelVocabulary> SmallVocabulary = new(TestVocabularies.Tiny);

    private static readonly Lazy<ByteLevelVocabulary> BenchVocabulary =
        new(() => TestVocabularies.Generated(32000, DeterministicRandom.ForStream(TestModelGenerator.DefaultSeed, "arch-bench/vocabulary")));

    public static string FileStem(string family, ArchitectureModelSize size) => $"{family}-{SizeName(size)}";

    public static string SizeName(ArchitectureModelSize size) => size == ArchitectureModelSize.Bench ? "bench" : "small";

    /// <summary>All seven projections at rank 8 (the PEFT twin's source), and attention only at rank 4.</summary>
    public static IReadOnlyList<LoraAdapterSpec> Adapters(string family, ArchitectureModelSize size)
    {
        var stem = FileStem(family, size);
        var strength = size == ArchitectureModelSize.Bench ? 0.5f : 1.5f;
        return
        [
            new LoraAdapterSpec($"{stem}-r8", 8, 16f, [.. Attention, .. Mlp], false, GgmlType.F16, strength),
            new LoraAdapterSpec($"{stem}-attn-r4", 4, 8f, Attention, false, GgmlType.F32, strength),
        ];
    }

    public static LlamaModelSpec Model(string family, ArchitectureModelSize size)
    {
        var bench = size == ArchitectureModelSize.Bench;
        var name = FileStem(family, size);
        var vocabulary = bench ? BenchVocabulary.Value : SmallVocabulary.Value;
        var embedding = bench ? 768 : 256;
        var layers = bench ? 12 : 2;
        var feedForward = bench ? 2048 : 512;
        var heads = bench ? 12 : 4;
        var kvHeads = bench ? 4 : 2;
        var window = bench ? 256 : 32;
        var plain = new LlamaModelSpec(name, embedding, layers, heads, kvHeads, feedForward, 2048, GgmlType.F16, vocabulary) { RandomNorms = true };
        return family switch
        {
            "llama3" => plain with { RopeBase = 500000f, Llama3Rope = new Llama3RopeScaling(8f, 1f, 4f, bench ? 512 : 64) },
            "mistral" => plain with { Heads = bench ? 12 : 8, KvHeads = bench ? 3 : 2, RopeBase = 1000000f },
            "llama-linear" => plain with { RopeScalingType = "linear", RopeScalingFactor = 4f },
            "qwen2" => plain with { Architecture = "qwen2", QkvBias = true, TiedOutput = true, RopeBase = 1000000f, NormEpsilon = 1e-6f },
            "qwen3" => plain with
            {
                Architecture = "qwen3", Heads = bench ? 8 : 4, KeyLength = 128, QkNorm = true, TiedOutput = true, RopeBase = 1000000f, NormEpsilon = 1e-6f,
            },
            "gemma2" => plain with
            {
                Architecture = "gemma2", Heads = bench ? 8 : 4, KeyLength = 128, Gemma = true, TiedOutput = true, SlidingWindow = window,
                AttentionSoftcap = bench ? 50f : 2f, FinalSoftcap = bench ? 30f : 8f, NormEpsilon = 1e-6f,
            },
            "gemma3" => plain with
            {
                Architecture = "gemma3", Layers = bench ? 12 : 6, Heads = bench ? 8 : 4, KeyLength = 128, Gemma = true, QkNorm = true,
                TiedOutput = true, SlidingWindow = window, RopeBase = 1000000f, RopeScalingType = "linear", RopeScalingFactor = 8f, NormEpsilon = 1e-6f,
            },
            _ => throw new ArgumentException($"unknown architecture family '{family}'; known: {string.Join(", ", Families)}", nameof(family)),
        };
    }
}
