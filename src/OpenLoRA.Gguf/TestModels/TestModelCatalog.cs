namespace OpenLoRA.Gguf.TestModels;

/// <summary>The tiny set (fast tests), the small set (quantization tests) and the bench set (realistic sizes for benchmarks).</summary>
internal static class TestModelCatalog
{
    private static readonly string[] Attention = ["attn_q", "attn_k", "attn_v", "attn_output"];
    private static readonly string[] Mlp = ["ffn_gate", "ffn_up", "ffn_down"];

    /// <summary>
    /// About 112K parameters: 64-wide, 2 layers, 4 heads over 2 KV heads (GQA), 303 tokens, f32. Adapter strengths
    /// of 1–2× the base weight std make each adapter's greedy continuation differ from the base model's.
    /// </summary>
    public static ModelSetPlan Tiny() => new(
        "tiny",
        () => new LlamaModelSpec("tiny-llama", 64, 2, 4, 2, 128, 2048, GgmlType.F32, TestVocabularies.Tiny()),
        [
            new LoraAdapterSpec("tiny-attn-r4", 4, 8f, Attention, false, GgmlType.F32, 1.5f),
            new LoraAdapterSpec("tiny-mlp-r8", 8, 16f, Mlp, false, GgmlType.F16, 1.5f),
            new LoraAdapterSpec("tiny-all-r2", 2, 4f, [.. Attention, .. Mlp], false, GgmlType.BF16, 1.5f),
            new LoraAdapterSpec("tiny-out-r4", 4, 8f, [], true, GgmlType.F32, 1f),
        ]);

    /// <summary>
    /// About 3.7M parameters: 256-wide, 4 layers, 4 heads over 2 KV heads (GQA), FFN 768, 1,024 tokens, f16 (norms
    /// f32). The smallest llama whose every matrix takes llama.cpp's K-quants (rows in multiples of 256) and whose every
    /// projection has a multiple of 8 output rows (what the CPU's repacked kernels interleave), so its quantized copies
    /// hold exactly the types their names say. Adapters as for the tiny model, at strengths that change greedy output.
    /// </summary>
    public static ModelSetPlan Small(int seed) => new(
        "small",
        () => new LlamaModelSpec("small-llama", 256, 4, 4, 2, 768, 2048, GgmlType.F16,
            TestVocabularies.Generated(1024, DeterministicRandom.ForStream(seed, "small-llama/vocabulary"))),
        [
            new LoraAdapterSpec("small-attn-r4", 4, 8f, Attention, false, GgmlType.F32, 1f),
            new LoraAdapterSpec("small-mlp-r8", 8, 16f, Mlp, false, GgmlType.F16, 1f),
            new LoraAdapterSpec("small-all-r8", 8, 8f, [.. Attention, .. Mlp], false, GgmlType.F16, 1f),
            new LoraAdapterSpec("small-out-r4", 4, 8f, [], true, GgmlType.F32, 0.5f),
        ]);

    /// <summary>
    /// About 134M parameters: 768-wide, 12 layers, 12 heads, FFN 2048, 32,000 tokens, f16 weights (norms f32), the
    /// shape LLAMA-NOTES.md measured. Sixteen f16 adapters on all seven projections, eight of rank 8 and eight of rank 16 (the load test spreads traffic over 16).
    /// </summary>
    public static ModelSetPlan Bench(int seed) => new(
        "bench",
        () => new LlamaModelSpec("bench-llama", 768, 12, 12, 12, 2048, 2048, GgmlType.F16,
            TestVocabularies.Generated(32000, DeterministicRandom.ForStream(seed, "bench-llama/vocabulary"))),
        [
            .. "abcdefgh".Select(letter => BenchAdapter($"bench-r8-{letter}", 8)),
            .. "abcdefgh".Select(letter => BenchAdapter($"bench-r16-{letter}", 16)),
        ]);

    private static LoraAdapterSpec BenchAdapter(string name, int rank) =>
        new(name, rank, 2f * rank, [.. Attention, .. Mlp], false, GgmlType.F16, 0.5f);
}
