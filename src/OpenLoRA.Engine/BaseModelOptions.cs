using System.ComponentModel.DataAnnotations;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine;

/// <summary>One base model to serve and where its adapters live.</summary>
public sealed class BaseModelOptions
{
    [Required]
    public string Name { get; set; } = "";

    /// <summary>GGUF file; relative paths are resolved against the content root.</summary>
    [Required]
    public string Path { get; set; } = "";

    /// <summary>Folder of adapter .gguf files validated at start; an invalid file is skipped with a logged reason.</summary>
    public string? AdapterDirectory { get; set; }

    /// <summary>
    /// Context window of one sequence (prompt + completion, tokens). Every sequence slot gets its own
    /// KV cells (non-unified KV), so the context holds <c>ContextSize × MaxSequences</c> cells: with a unified
    /// cache, batching noise (~1e-3 on logits, LLAMA-NOTES.md) flips greedy near-ties; split caches matched a
    /// sequence run alone to 2e-6.
    /// </summary>
    [Range(64, 1 << 20)]
    public int ContextSize { get; set; } = 4096;

    /// <summary>Concurrent sequences (llama.cpp allows at most 256).</summary>
    [Range(1, 256)]
    public int MaxSequences { get; set; } = 16;

    /// <summary>Tokens per step across decode and chunked prefill.</summary>
    [Range(16, 65536)]
    public int StepTokenBudget { get; set; } = 512;

    /// <summary>Requests waiting for a slot before 429.</summary>
    [Range(1, 100000)]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Adapters kept loaded on this model; beyond it the least recently used unpinned one is freed.</summary>
    [Range(1, 4096)]
    public int MaxResidentAdapters { get; set; } = 32;

    /// <summary>Bytes of adapter files kept loaded on this model (the other bound of the resident set).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxResidentAdapterBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Adapter groups one step may run; 0 = no cap. On the ggml backend every group shares the step's single forward
    /// pass, so a cap only delays sequences. On the LLamaSharp backend each group re-reads the base weights: 134M bench model, 8 sequences per step, one group of 8 = 4.38 ms/step vs eight groups of one
    /// = 14.2 ms/step (BenchmarkDotNet, 2 cores). A cap does not reduce that cost per generated token (every group
    /// still needs one pass per token); it bounds step time, so the sequences that run get a steadier time per
    /// token, while groups beyond the cap wait their turn (longest-waiting first). Hence the default: no cap.
    /// 1 reproduces llama.cpp's server, where requests with different LoRA settings never share a decode.
    /// </summary>
    [Range(0, 256)]
    public int MaxAdapterGroupsPerStep { get; set; }

    /// <summary>
    /// How a free slot picks among the fairness-chosen tenant's requests. <see cref="AdmissionPolicy.Fifo"/> (default)
    /// takes arrival order. <see cref="AdmissionPolicy.AdapterAffinity"/> prefers requests whose adapter already runs,
    /// so steps hold fewer, fuller adapter groups (each group is a pass over the base weights on the LLamaSharp
    /// backend). Measured with the load generator on the 134M bench model, 16 adapters by Zipf 1.1, 32 closed-loop
    /// clients, 16 slots, 2 cores: affinity gave 0.7–1.1× the output tokens/s of FIFO with the one-group-per-step
    /// baseline but 1.3–5× its p99 time to first token (the requests it passes over wait up to
    /// <see cref="MaxAdmissionBypass"/> admissions longer), so it is opt-in. With <see cref="MaxAdapterGroupsPerStep"/>
    /// = 1, FIFO is llama.cpp's server policy, the load generator's baseline.
    /// </summary>
    public AdmissionPolicy Admission { get; set; } = AdmissionPolicy.Fifo;

    /// <summary>
    /// How many later requests adapter affinity may admit ahead of a waiting one before it goes next regardless: the
    /// bound on how long affinity can delay a request, in admissions (one slot turnover each).
    /// </summary>
    [Range(0, 100000)]
    public int MaxAdmissionBypass { get; set; } = 16;

    /// <summary>
    /// The step backend. <see cref="StepBackendKind.Auto"/> (default) runs llama-family models on the ggml backend,
    /// where one forward pass serves every adapter of a step (bench model, 8 sequences on 8 adapters: see the
    /// README's backend table), and everything else on LLamaSharp.
    /// </summary>
    public StepBackendKind Backend { get; set; } = StepBackendKind.Auto;

    /// <summary>
    /// Rank of the ggml backend's LoRA slots: adapters of a lower rank are zero-padded to it, higher ranks cannot run
    /// and are refused at upload (400 invalid_adapter naming LoraSlotRank) and skipped in the folder and the registry
    /// at start, with the reason logged. On the CPU the LoRA kernel skips the padding (rank-64 slots decode as fast as rank-16 ones), but slot
    /// memory grows with it: slots × rank × Σ(n_in + n_out) × 4 bytes. Through mul_mat_id (GPU) padding also costs compute.
    /// </summary>
    [Range(1, 1024)]
    public int LoraSlotRank { get; set; } = 16;

    /// <summary>0 means all cores.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }
}
