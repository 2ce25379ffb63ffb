using System.Runtime.InteropServices;
using System.Buffers;
using OpenLoRA.Gguf;
using static OpenLoRA.Engine.Backend.Ggml.GgmlNative;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// Every tensor that outlives a step, in one ggml context and one backend buffer: the base weights (copied from the
/// GGUF file once), the KV cache (a fixed region of <c>SequenceContextSize</c> cells per sequence slot, in F16 like
/// llama.cpp's default) and the stacked LoRA slots (A [n_in, r, slots] and B [r, n_out, slots], or [n_out, r, slots]
/// for the CPU kernel, per target; slot 0 all zeros for requests on the base model). Shapes come from a validated
/// <see cref="GgmlLlamaConfig"/>.
/// </summary>
internal sealed unsafe class GgmlWeights : IDisposable
{
    private const int CopyChunkBytes = 8 << 20;

    private readonly nint _context;
    private readonly nint _buffer;

    // Tensors read from the model file, in creation order: LoadWeights copies exactly these.
    private readonly List<(string Name, nint Tensor)> _fromFile = [];

    /// <param name="kernelLayout">
    /// Slots for <see cref="GgmlLoraKernel"/>: F32, and B transposed to [n_out, r, slots] so its rows are the kernel's
    /// AXPY operands. Otherwise slots for <c>mul_mat_id</c>: the base weights' float type, B as [r, n_out, slots].
    /// </param>
    public GgmlWeights(GgmlLlamaConfig config, nint backend, int sequences, int sequenceContext, int slots, int slotRank, bool kernelLayout)
    {
        Config = config;
        Cells = checked(sequences * sequenceContext);
        Slots = slots;
        SlotRank = slotRank;
        TransposedB = kernelLayout;
        SlotType = kernelLayout || (config.File.TryGetTensor("token_embd.weight", out var embd) && embd.Type == GgmlType.F32) ? TypeF32 : TypeF16;
        // Per layer: 2 norms, 7 projections, up to 3 biases, 2 Q/K norms, 2 post-norms, 2 KV caches, 14 LoRA slots.
        var tensorCount = 9 + config.Layers * (9 + 3 + 2 + 2 + 2 + 2 * GgmlLlamaConfig.Projections.Count);
        _context = ggml_init(new InitParams { MemSize = (nuint)tensorCount * ggml_tensor_overhead(), NoAlloc = 1 });
        if (_context == 0)
        {
            throw new BackendException("ggml_init failed for the model context.");
        }

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
            _buffer = ggml_backend_alloc_ctx_tensors(_context, backend);
            if (_buffer == 0)
            {
                throw new BackendException("ggml could not allocate the model's buffer (out of memory?).");
            }

            // Zero LoRA slots (slot 0 stays zero: the base model) and a defined KV cache.
            ggml_backend_buffer_clear(_buffer, 0);
            LoadWeights();
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

        if (_buffer != 0)
        {
            ggml_backend_buffer_free(_buffer);
        }

        if (_context != 0)
        {
            ggml_free(_context);
        }
    }

    /// <summary>A tensor of the file's type and shape (validated by <see cref="GgmlLlamaConfig"/>), filled by <see cref="LoadWeights"/>.</summary>
    private nint FromFile(string name)
    {
        var info = Config.File.TryGetTensor(name, out var tensor) ? tensor : throw new BackendException($"tensor {name} is missing");
        var created = info.Dimensions.Count == 1
            ? ggml_new_tensor_1d(_context, (int)info.Type, info.Dimensions[0])
            : ggml_new_tensor_2d(_context, (int)info.Type, info.Dimensions[0], info.Dimensions[1]);
        _fromFile.Add((name, created));
        return created;
    }

    private (nint A, nint B) NewSlotPair((int In, int Out) shape) => (
        ggml_new_tensor_3d(_context, SlotType, shape.In, SlotRank, Slots),
        TransposedB
            ? ggml_new_tensor_3d(_context, SlotType, shape.Out, SlotRank, Slots)
            : ggml_new_tensor_3d(_context, SlotType, SlotRank, shape.Out, Slots));

    private void LoadWeights()
    {
        using var stream = new FileStream(Config.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var chunk = ArrayPool<byte>.Shared.Rent(CopyChunkBytes);
        try
        {
            foreach (var (name, tensor) in _fromFile)
            {
                Copy(stream, chunk, name, tensor);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void Copy(FileStream stream, byte[] chunk, string name, nint tensor)
    {
        var info = Config.File.TryGetTensor(name, out var found) ? found : throw new BackendException($"tensor {name} is missing");
        var bytes = (long)ggml_nbytes(tensor);
        if (bytes != info.ByteSize)
        {
            throw new BackendException($"tensor {name}: ggml expects {bytes} bytes, the file holds {info.ByteSize}.");
        }

        stream.Position = Config.File.DataOffset + info.Offset;
        long done = 0;
        while (done < bytes)
        {
            var count = (int)Math.Min(chunk.Length, bytes - done);
            stream.ReadExactly(chunk, 0, count);
            fixed (byte* data = chunk)
            {
                ggml_backend_tensor_set(tensor, data, (nuint)done, (nuint)count);
            }

            done += count;
        }
    }

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
