using System.Runtime.InteropServices;
using OpenLoRA.Gguf;
using static OpenLoRA.Engine.Backend.Ggml.GgmlNative;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// Every tensor that outlives a step, placed by a <see cref="GgmlWeightStore"/>: the base weights (copied from the
/// GGUF file once; the ones multiplied by mul_mat in the CPU backend's repacked buffer where it has kernels for their
/// type), and in the default buffer the KV cache (a fixed region of <c>SequenceContextSize</c> cells per sequence slot, in F16 like
/// llama.cpp's default) and the stacked LoRA slots (A [n_in, r, slots] and B [r, n_out, slots], or [n_out, r, slots]
/// for the CPU kernel, per target; slot 0 all zeros for requests on the base model). Shapes come from a validated
/// <see cref="GgmlLlamaConfig"/>.
/// </summary>
internal sealed unsafe class GgmlWeights : IDisposable
{
    private readonly GgmlWeightStore _store;
    private readonly nint _context;

    /// <param name="kernelLayout">
    /// Slots for <see cref="GgmlLoraKernel"/>: F32, and B transposed to [n_out, r, slots] so its rows are the kernel's
    /// AXPY operands. Otherwise slots for <c>mul_mat_id</c>: the base weights' float type, B as [r, n_out, slots].
    /// </param>
    /// <param name="repack">Weights in the CPU backend's extra (repacked) buffer types where they qualify, as llama.cpp does by default.</param>
    public GgmlWeights(GgmlLlamaConfig config, nint backend, int sequences, int sequenceContext, int slots, int slotRank, bool kernelLayout, bool repack = true)
    {
        Config = config;
        Cells = checked(sequences * sequenceContext);
        Slots = slots;
        SlotRank = slotRank;
        TransposedB = kernelLayout;
        SlotType = kernelLayout || (config.File.TryGetTensor("token_embd.weight", out var embd) && embd.Type == GgmlType.F32) ? TypeF32 : TypeF16;
        // Per layer: 2 norms, 7 projections, up to 3 biases, 2 Q/K norms, 2 post-norms, 2 KV caches, 14 LoRA slots.
        var tensorCount = 9 + config.Layers * (9 + 3 + 2 + 2 + 2 + 2 * GgmlLlamaConfig.Projections.Count);
        _store = new GgmlWeightStore(config.File, config.FilePath, backend, tensorCount, repack);
        _context = _store.Context;
        try
        {
            TokenEmbedding = FromFile("token_embd.weight");
            Layers = new Layer[config.Layers];
            for (var l = 0; l < config.Layers; l++)
            {
                var projections = new nint[GgmlLlamaConfig.Projections.Count];
                var loraA = new nint[projections.Length];
                var loraB = new nint[projections.Length];
                for (var p = 0; p < projections.Length; p++)
                {
                    var name = GgmlLlamaConfig.Projections[p];
                    projections[p] = FromFile($"blk.{l}.{name}.weight");
                    (loraA[p], loraB[p]) = NewSlotPair(config.TargetShape(name));
                }

                var architecture = config.Architecture;
                Layers[l] = new Layer(
                    FromFile($"blk.{l}.attn_norm.weight"),
                    FromFile($"blk.{l}.ffn_norm.weight"),
                    projections,
                    loraA,
                    loraB,
                    ggml_new_tensor_2d(_context, TypeF16, config.KvEmbedding, Cells),
                    ggml_new_tensor_2d(_context, TypeF16, config.KvEmbedding, Cells))
                {
                    Biases = config.HasQkvBias ? [FromFile($"blk.{l}.attn_q.bias"), FromFile($"blk.{l}.attn_k.bias"), FromFile($"blk.{l}.attn_v.bias")] : null,
                    QueryNorm = architecture.QkNorm ? FromFile($"blk.{l}.attn_q_norm.weight") : 0,
                    KeyNorm = architecture.QkNorm ? FromFile($"blk.{l}.attn_k_norm.weight") : 0,
                    AttentionPostNorm = architecture.Gemma ? FromFile($"blk.{l}.post_attention_norm.weight") : 0,
                    FeedForwardPostNorm = architecture.Gemma ? FromFile($"blk.{l}.post_ffw_norm.weight") : 0,
                };
            }

            OutputNorm = FromFile("output_norm.weight");
            RopeFactors = config.HasRopeFactors ? FromFile("rope_freqs.weight") : 0;
            Output = config.OutputTensor == "output.weight" ? FromFile("output.weight") : TokenEmbedding;
            (OutputLoraA, OutputLoraB) = NewSlotPair(config.TargetShape(GgmlLlamaConfig.OutputTarget));
            Targets = [(-1, -1), .. Enumerable.Range(0, config.Layers).SelectMany(l => Enumerable.Range(0, GgmlLlamaConfig.Projections.Count).Select(p => (l, p)))];
            SlotRanks = (int*)NativeMemory.AllocZeroed((nuint)slots, sizeof(int));
            _store.Allocate();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public GgmlLlamaConfig Config { get; }

    public int Cells { get; }

    public int Slots { get; }

    public int SlotRank { get; }

    public int SlotType { get; }

    /// <summary>
    /// The rank of the adapter in each slot (its other rows are zero padding), which the LoRA kernel stops at. Native
    /// memory, written by the loader before the adapter's handle is published, read by the kernel.
    /// </summary>
    public int* SlotRanks { get; }

    /// <summary>B slots are [n_out, r, slots] (the kernel's layout) instead of [r, n_out, slots].</summary>
    public bool TransposedB { get; }

    public int SlotElementBytes => SlotType == TypeF32 ? 4 : 2;

    /// <summary>The buffer type each weight from the file landed in ("CPU", "CPU_REPACK", …), by tensor name.</summary>
    public IReadOnlyDictionary<string, string> Placements => _store.Placements();

    /// <summary>The model's buffers: type name, bytes, weights from the file in it.</summary>
    public IReadOnlyList<(string BufferType, long Bytes, int Weights)> Buffers => _store.Buffers();

    public nint TokenEmbedding { get; }

    public Layer[] Layers { get; } = [];

    public nint OutputNorm { get; }

    /// <summary><c>rope_freqs.weight</c> (Llama 3 rope factors), or 0.</summary>
    public nint RopeFactors { get; }

    public nint Output { get; }

    public nint OutputLoraA { get; }

    public nint OutputLoraB { get; }

    /// <summary>Every LoRA target: (-1, -1) for the output head, then (layer, projection) for each layer's projections.</summary>
    public IReadOnlyList<(int Layer, int Projection)> Targets { get; } = [];

    /// <summary>The stacked A and B of a target in a layer (<paramref name="layer"/> -1: the output head).</summary>
    public (nint A, nint B) Lora(int layer, int projection) =>
        layer < 0 ? (OutputLoraA, OutputLoraB) : (Layers[layer].LoraA[projection], Layers[layer].LoraB[projection]);

    public void Dispose()
    {
        if (SlotRanks != null)
        {
            NativeMemory.Free(SlotRanks);
        }

        _store.Dispose();
    }

    /// <summary>
    /// A tensor of the file's type and shape (validated by <see cref="GgmlLlamaConfig"/>), filled when the store is
    /// allocated. As in llama.cpp's tensor table, token_embd is read by get_rows and every other 2-D weight only by
    /// mul_mat (a tied output head reuses token_embd, so it stays where get_rows can read it).
    /// </summary>
    private nint FromFile(string name)
    {
        var info = Config.File.TryGetTensor(name, out var tensor) ? tensor : throw new BackendException($"tensor {name} is missing");
        return _store.AddWeight(info, multiplied: name != "token_embd.weight" && info.Dimensions.Count == 2);
    }

    private (nint A, nint B) NewSlotPair((int In, int Out) shape) => (
        ggml_new_tensor_3d(_context, SlotType, shape.In, SlotRank, Slots),
        TransposedB
            ? ggml_new_tensor_3d(_context, SlotType, shape.Out, SlotRank, Slots)
            : ggml_new_tensor_3d(_context, SlotType, SlotRank, shape.Out, Slots));

    internal sealed record Layer(
        nint AttentionNorm,
        nint FeedForwardNorm,
        nint[] Projections,
        nint[] LoraA,
        nint[] LoraB,
        nint KeyCache,
        nint ValueCache)
    {
        /// <summary>Q, K and V biases (qwen2; llama files that have them), or null.</summary>
        public nint[]? Biases { get; init; }

        /// <summary>Per-head RMSNorm weights of Q and K (qwen3, gemma3), or 0.</summary>
        public nint QueryNorm { get; init; }

        public nint KeyNorm { get; init; }

        /// <summary>gemma's norms of the attention and MLP outputs before each residual add, or 0.</summary>
        public nint AttentionPostNorm { get; init; }

        public nint FeedForwardPostNorm { get; init; }
    }
}
