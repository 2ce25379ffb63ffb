using System.Runtime.InteropServices;
using static OpenLoRA.Engine.Backend.Ggml.GgmlNative;

namespace OpenLoRA.Engine.Backend.Ggml;

internal sealed record GgmlStepBackendOptions(
    int SequenceContextSize,
    int MaxSequences,
    int MaxStepTokens,
    int Threads,
    int AdapterSlots,
    int SlotRank,
    bool LoraKernel = true,
    bool RepackWeights = true,
    bool BatchedDecodeAttention = true);

/// <summary>
/// The llama forward pass as one ggml graph per step, every sequence of the step in it whatever its adapter: token
/// embedding, per layer RMSNorm, Q/K/V projections, rotary embeddings, the new K/V rows written into this backend's
/// own cache (<c>set_rows</c>), attention of each sequence over its own cells (<c>flash_attn_ext</c>, causal mask for
/// prefill chunks), output projection, RMSNorm, SwiGLU MLP; then output norm and head for the rows that want logits.
/// Every projection adds its LoRA term per token from the stacked slots and each token's slot id (S-LoRA/Punica-style):
/// through <see cref="GgmlLoraKernel"/> on the CPU, <c>mul_mat_id</c> elsewhere, so sequences on different adapters
/// share each read of the base weights.
/// Scheduler thread only, except <see cref="LoadAdapter"/> (loader thread: it writes a free slot, see
/// <see cref="GgmlLoraSlots"/>).
/// </summary>
internal sealed unsafe class GgmlStepBackend : IStepBackend
{
    private const int MaskPad = 64;
    private const ulong OutputTargetMask = 1UL << GgmlLoraSlots.OutputBit;

    private readonly GgmlLlamaConfig _config;
    private readonly nint _backend;
    private readonly GgmlWeights _weights;
    private readonly GgmlLoraSlots _slots;
    private readonly nint _allocator;
    private readonly int[] _lengths;
    private readonly Lock _gate = new();
    private readonly List<ItemLayout> _layout = [];
    private readonly HashSet<int> _stepSequences = [];
    private readonly GgmlBatchedAttention _batched;
    private readonly bool _batchDecodes;
    private nint _scratch;
    private nuint _scratchBytes;
    private float[] _logits = [];
    private bool _disposed;

    // The kernel's arguments per target ((-1, -1): the output head); null when LoRA goes through mul_mat_id.
    private readonly Dictionary<(int Layer, int Projection), nint>? _kernel;

    public GgmlStepBackend(GgmlLlamaConfig config, GgmlStepBackendOptions options)
    {
        if (options.AdapterSlots < 1 || options.SlotRank < 1 || options.MaxSequences < 1 || options.SequenceContextSize < 1 || options.MaxStepTokens < 1)
        {
            throw new BackendException("the ggml backend needs at least one slot, rank, sequence, context cell and step token.");
        }

        GgmlLibrary.EnsureBound();
        _config = config;
        SequenceContextSize = options.SequenceContextSize;
        MaxSequences = options.MaxSequences;
        MaxStepTokens = options.MaxStepTokens;
        _lengths = new int[options.MaxSequences];
        _batched = new GgmlBatchedAttention(options.SequenceContextSize);
        _batchDecodes = options.BatchedDecodeAttention;
        _backend = ggml_backend_init_by_type(DeviceTypeGpu, null);
        if (_backend == 0)
        {
            _backend = ggml_backend_cpu_init();
        }

        if (_backend == 0)
        {
            throw new BackendException("ggml could not start a compute backend.");
        }

        try
        {
            if (ggml_backend_is_cpu(_backend))
            {
                ggml_backend_cpu_set_n_threads(_backend, options.Threads > 0 ? options.Threads : Environment.ProcessorCount);
            }

            DeviceName = Marshal.PtrToStringUTF8(ggml_backend_name(_backend)) ?? "?";
            var kernel = options.LoraKernel && options.SlotRank <= GgmlLoraKernel.MaxRank && ggml_backend_is_cpu(_backend);
            _weights = new GgmlWeights(config, _backend, options.MaxSequences, options.SequenceContextSize, options.AdapterSlots + 1, options.SlotRank, kernel, options.RepackWeights);
            CheckTensorLayout(_weights.OutputNorm, config.Embedding, 1);
            if (kernel)
            {
                _kernel = new Dictionary<(int Layer, int Projection), nint>();
                foreach (var (layer, projection) in _weights.Targets)
                {
                    var (input, output) = config.TargetShape(layer < 0 ? GgmlLlamaConfig.OutputTarget : GgmlLlamaConfig.Projections[projection]);
                    var (a, b) = _weights.Lora(layer, projection);
                    _kernel[(layer, projection)] = (nint)GgmlLoraKernel.Allocate(a, b, _weights.SlotRanks, input, output, options.SlotRank);
                }
            }

            LoraKernel = kernel;
            _slots = new GgmlLoraSlots(_weights);
            _allocator = ggml_gallocr_new(ggml_backend_get_default_buffer_type(_backend));
            if (_allocator == 0)
            {
                throw new BackendException("ggml could not create a graph allocator.");
            }

            Reserve();
            WarmUp();
        }
        catch
        {
            if (_allocator != 0)
            {
                ggml_gallocr_free(_allocator);
            }

            FreeKernelArguments();
            _weights?.Dispose();
            ggml_backend_free(_backend);
            throw;
        }
    }

    /// <summary>LoRA terms run through <see cref="GgmlLoraKernel"/> (CPU backend) rather than <c>mul_mat_id</c>.</summary>
    public bool LoraKernel { get; }

    /// <summary>The buffer type each weight from the file landed in ("CPU", "CPU_REPACK", …), by tensor name.</summary>
    public IReadOnlyDictionary<string, string> WeightPlacements => _weights.Placements;

    /// <summary>The model's buffers: type name, bytes, weights from the file in it.</summary>
    public IReadOnlyList<(string BufferType, long Bytes, int Weights)> WeightBuffers => _weights.Buffers;

    /// <summary>ggml's name of the compute backend ("CPU", "CUDA0", …).</summary>
    public string DeviceName { get; }

    public int VocabSize => _config.Vocabulary;

    public int MaxSequences { get; }

    public int SequenceContextSize { get; }

    public int MaxStepTokens { get; }

    public int AdapterSlots => _slots.Capacity;

    public IBackendAdapter LoadAdapter(string path) => _slots.Load(path);

    public void UnloadAdapter(IBackendAdapter adapter) => _slots.Unload((GgmlAdapter)adapter);

    public void ClearSequence(int sequenceId)
    {
        if (sequenceId >= 0 && sequenceId < _lengths.Length)
        {
            _lengths[sequenceId] = 0;
        }
    }

    public StepStats Execute(IReadOnlyList<StepItem> items, StepLogitsHandler onLogits)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var plan = Plan(items);
            if (plan.Tokens == 0)
            {
                return new StepStats(0, 0);
            }

            var (context, graph, inputs) = Build(plan);
            try
            {
                if (!ggml_gallocr_alloc_graph(_allocator, graph))
                {
                    throw new BackendException("ggml could not allocate the step's graph (out of memory?).");
                }

                SetInputs(plan, inputs);
                var status = ggml_backend_graph_compute(_backend, graph);
                if (status != StatusSuccess)
                {
                    throw new BackendException($"ggml graph compute failed with status {status}.");
                }

                if (plan.Outputs > 0)
                {
                    var count = plan.Outputs * _config.Vocabulary;
                    if (_logits.Length < count)
                    {
                        _logits = new float[count];
                    }

                    fixed (float* data = _logits)
                    {
                        ggml_backend_tensor_get(inputs.Logits, data, 0, (nuint)count * sizeof(float));
                    }
                }
            }
            finally
            {
                // The context indexes the scratch memory only; its tensors and graph die with it.
                ggml_free(context);
            }

            foreach (var item in _layout)
            {
                _lengths[item.Sequence] = item.Start + item.Count;
            }

            if (plan.Outputs > 0)
            {
                var row = 0;
                for (var i = 0; i < _layout.Count; i++)
                {
                    if (_layout[i].WantLogits)
                    {
                        onLogits(_layout[i].ItemIndex, _logits.AsSpan(row * _config.Vocabulary, _config.Vocabulary));
                        row++;
                    }
                }
            }

            return new StepStats(1, plan.Tokens);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            ggml_gallocr_free(_allocator);
            FreeKernelArguments();
            _weights.Dispose();
            ggml_backend_free(_backend);
            if (_scratch != 0)
            {
                NativeMemory.Free((void*)_scratch);
            }
        }
    }

    /// <summary>
    /// Sizes the graph allocator for the largest steps up front, as llama.cpp reserves its compute buffers when a
    /// context is created: a prompt filling a whole step, and every sequence decoding beside a prompt filling the
    /// rest. A machine without the memory fails at start-up instead of at the first large step.
    /// </summary>
    private void Reserve()
    {
        var prompt = Math.Min(MaxStepTokens, SequenceContextSize);
        var decoding = Math.Min(MaxSequences - 1, MaxStepTokens - 1);
        var mixed = new List<ItemLayout>();
        for (var s = 0; s < decoding; s++)
        {
            mixed.Add(new ItemLayout(s, s, SequenceContextSize - 1, 1, s, 1, true, default));
        }

        var rest = Math.Min(MaxStepTokens - decoding, SequenceContextSize);
        mixed.Add(new ItemLayout(decoding, decoding, 0, rest, decoding, 1, true, default));
        foreach (var layout in new[] { new List<ItemLayout> { new(0, 0, 0, prompt, 0, 1, true, default) }, mixed })
        {
            _layout.Clear();
            _layout.AddRange(layout);
            var tokens = layout.Sum(item => item.Count);
            var (context, graph, _) = Build(new StepPlan(tokens, layout.Count, ulong.MaxValue, 0));
            try
            {
                if (!ggml_gallocr_reserve(_allocator, graph))
                {
                    throw new BackendException($"ggml could not reserve memory for a step of {tokens} tokens (out of memory?).");
                }
            }
            finally
            {
                ggml_free(context);
            }
        }

        _layout.Clear();
    }

    /// <summary>
    /// Runs one full-size step before serving, through every LoRA target on slot 0 (all zeros, so nothing changes):
    /// the compute buffer is touched, ggml's threads are started and the kernel is compiled. Without it, the first
    /// step of the bench model's first burst took 2.8 ms per token against 1.3 for the next ones (with it: 2.1, the rest
    /// being the server's and the clients' own warm-up).
    /// </summary>
    private void WarmUp()
    {
        var zero = new GgmlAdapter("warm-up", 0, ulong.MaxValue);
        var tokens = new int[Math.Min(MaxStepTokens, SequenceContextSize)];
        _weights.SlotRanks[0] = _weights.SlotRank;
        try
        {
            Execute([new StepItem(0, zero, tokens, 0, true)], static (_, _) => { });
        }
        finally
        {
            _weights.SlotRanks[0] = 0;
            ClearSequence(0);
        }
    }

    private void FreeKernelArguments()
    {
        foreach (var arguments in _kernel?.Values ?? Enumerable.Empty<nint>())
        {
            NativeMemory.Free((void*)arguments);
        }
    }

    private StepPlan Plan(IReadOnlyList<StepItem> items)
    {
        _layout.Clear();
        var tokens = 0;
        var outputs = 0;
        ulong targets = 0;
        var anyAdapter = false;
        var firstSlot = -1;
        var oneSlot = true;
        var used = _stepSequences;
        used.Clear();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var count = item.Tokens.Length;
            if (count == 0)
            {
                continue;
            }

            if (item.SequenceId < 0 || item.SequenceId >= MaxSequences || !used.Add(item.SequenceId))
            {
                throw new BackendException($"sequence {item.SequenceId} is out of range or appears twice in one step.");
            }

            if (item.StartPosition < 0 || item.StartPosition > _lengths[item.SequenceId] || item.StartPosition + count > SequenceContextSize)
            {
                throw new BackendException(
                    $"sequence {item.SequenceId}: tokens at {item.StartPosition}..{item.StartPosition + count} do not follow its {_lengths[item.SequenceId]} cached tokens within {SequenceContextSize}.");
            }

            foreach (var token in item.Tokens.Span)
            {
                if ((uint)token >= (uint)_config.Vocabulary)
                {
                    throw new BackendException($"token {token} is outside the vocabulary of {_config.Vocabulary}.");
                }
            }

            var slot = 0;
            if (item.Adapter is not null)
            {
                if (item.Adapter is not GgmlAdapter adapter || adapter.Released)
                {
                    throw new BackendException($"adapter '{item.Adapter.Path}' is not loaded on this backend.");
                }

                slot = adapter.Slot;
                targets |= adapter.TargetMask;
                anyAdapter = true;
            }

            oneSlot &= firstSlot < 0 || firstSlot == slot;
            firstSlot = slot;
            _layout.Add(new ItemLayout(i, item.SequenceId, item.StartPosition, count, tokens, slot, item.WantLogits, item.Tokens));
            tokens += count;
            outputs += item.WantLogits ? 1 : 0;
        }

        if (tokens > MaxStepTokens)
        {
            throw new BackendException($"a step of {tokens} tokens exceeds the backend's {MaxStepTokens}.");
        }

        return new StepPlan(tokens, outputs, anyAdapter ? targets : 0, anyAdapter && oneSlot && !LoraKernel ? firstSlot : 0);
    }

    private (nint Context, nint Graph, Inputs Inputs) Build(StepPlan plan)
    {
        var layers = _config.Layers;
        var graphSize = (nuint)(256 + layers * (128 + 12 * _layout.Count));
        var bytes = ggml_tensor_overhead() * graphSize + ggml_graph_overhead_custom(graphSize, false);
        if (bytes > _scratchBytes)
        {
            if (_scratch != 0)
            {
                NativeMemory.Free((void*)_scratch);
            }

            _scratch = (nint)NativeMemory.Alloc(bytes);
            _scratchBytes = bytes;
        }

        // A fresh context over the same scratch memory each step: tensors and graph live until the next step.
        var ctx = ggml_init(new InitParams { MemSize = _scratchBytes, MemBuffer = _scratch, NoAlloc = 1 });
        if (ctx == 0)
        {
            throw new BackendException("ggml_init failed for the step graph.");
        }

        var t = plan.Tokens;
        var inputs = new Inputs
        {
            TokenIds = Input(ggml_new_tensor_1d(ctx, TypeI32, t)),
            Positions = Input(ggml_new_tensor_1d(ctx, TypeI32, t)),
            Cells = Input(ggml_new_tensor_1d(ctx, TypeI64, t)),
            SlotIds = plan.SingleSlot == 0 && (plan.Targets & ~OutputTargetMask) != 0 ? Input(ggml_new_tensor_2d(ctx, TypeI32, 1, t)) : 0,
            OutputRows = plan.Outputs > 0 ? Input(ggml_new_tensor_1d(ctx, TypeI32, plan.Outputs)) : 0,
            OutputSlotIds = plan.SingleSlot == 0 && plan.Outputs > 0 && (plan.Targets & OutputTargetMask) != 0 ? Input(ggml_new_tensor_2d(ctx, TypeI32, 1, plan.Outputs)) : 0,
            Masks = new nint[_layout.Count],
            SlidingMasks = new nint[_layout.Count],
        };
        var window = _config.SlidingWindow;
        for (var i = 0; i < _layout.Count; i++)
        {
            var item = _layout[i];
            if (item.Count > 1)
            {
                inputs.Masks[i] = Input(ggml_new_tensor_2d(ctx, TypeF16, item.Start + item.Count, Pad(item.Count, MaskPad)));
                if (window > 0)
                {
                    inputs.SlidingMasks[i] = Input(ggml_new_tensor_2d(ctx, TypeF16, item.Start + item.Count - WindowStart(item.Start, window), Pad(item.Count, MaskPad)));
                }
            }
        }

        _batched.Begin(ctx, _layout, t, _batchDecodes);
        var graph = ggml_new_graph_custom(ctx, graphSize, false);
        var config = _config;
        var architecture = config.Architecture;
        var hd = config.HeadDimension;
        var x = ggml_get_rows(ctx, _weights.TokenEmbedding, inputs.TokenIds);
        if (architecture.Gemma)
        {
            x = ggml_scale(ctx, x, MathF.Sqrt(config.Embedding));
        }

        for (var l = 0; l < layers; l++)
        {
            var layer = _weights.Layers[l];
            var sliding = config.IsSlidingLayer(l);
            var h = ggml_mul(ctx, ggml_rms_norm(ctx, x, config.RmsEpsilon), layer.AttentionNorm);
            var q = Project(ctx, plan, inputs.SlotIds, h, t, l, 0);
            var k = Project(ctx, plan, inputs.SlotIds, h, t, l, 1);
            var v = Project(ctx, plan, inputs.SlotIds, h, t, l, 2);
            if (layer.Biases is { } biases)
            {
                q = ggml_add(ctx, q, biases[0]);
                k = ggml_add(ctx, k, biases[1]);
                v = ggml_add(ctx, v, biases[2]);
            }

            q = ggml_reshape_3d(ctx, q, hd, config.Heads, t);
            k = ggml_reshape_3d(ctx, k, hd, config.KvHeads, t);
            if (architecture.QkNorm)
            {
                // RMSNorm over ne0 = one head's dimensions, as llama.cpp's build_norm on the 3-D Q and K.
                q = ggml_mul(ctx, ggml_rms_norm(ctx, q, config.RmsEpsilon), layer.QueryNorm);
                k = ggml_mul(ctx, ggml_rms_norm(ctx, k, config.RmsEpsilon), layer.KeyNorm);
            }

            q = Rope(ctx, q, inputs.Positions, sliding);
            k = Rope(ctx, k, inputs.Positions, sliding);
            if (config.QueryScale != 1f)
            {
                q = ggml_scale(ctx, q, config.QueryScale);
            }

            var keys = ggml_set_rows(ctx, layer.KeyCache, ggml_reshape_2d(ctx, k, config.KvEmbedding, t), inputs.Cells);
            var values = ggml_set_rows(ctx, layer.ValueCache, v, inputs.Cells);
            var attention = Attend(
                ctx, q, keys, values, sliding ? inputs.SlidingMasks : inputs.Masks, hd, config.Heads, config.KvHeads,
                config.AttentionScale, config.AttentionSoftcap, sliding ? config.SlidingWindow : 0);
            var projected = Project(ctx, plan, inputs.SlotIds, attention, t, l, 3);
            if (architecture.Gemma)
            {
                projected = ggml_mul(ctx, ggml_rms_norm(ctx, projected, config.RmsEpsilon), layer.AttentionPostNorm);
            }

            x = ggml_add(ctx, x, projected);

            h = ggml_mul(ctx, ggml_rms_norm(ctx, x, config.RmsEpsilon), layer.FeedForwardNorm);
            var gate = Project(ctx, plan, inputs.SlotIds, h, t, l, 4);
            var up = Project(ctx, plan, inputs.SlotIds, h, t, l, 5);
            var mlp = architecture.Gemma ? ggml_geglu_split(ctx, gate, up) : ggml_mul(ctx, ggml_silu(ctx, gate), up);
            var down = Project(ctx, plan, inputs.SlotIds, mlp, t, l, 6);
            if (architecture.Gemma)
            {
                down = ggml_mul(ctx, ggml_rms_norm(ctx, down, config.RmsEpsilon), layer.FeedForwardPostNorm);
            }

            x = ggml_add(ctx, x, down);
        }

        if (plan.Outputs > 0)
        {
            var rows = ggml_get_rows(ctx, x, inputs.OutputRows);
            var normed = ggml_mul(ctx, ggml_rms_norm(ctx, rows, config.RmsEpsilon), _weights.OutputNorm);
            var logits = Project(ctx, plan, inputs.OutputSlotIds, normed, plan.Outputs, -1, -1);
            if (config.FinalSoftcap > 0)
            {
                logits = ggml_scale(ctx, ggml_tanh(ctx, ggml_scale(ctx, logits, 1f / config.FinalSoftcap)), config.FinalSoftcap);
            }

            inputs.Logits = logits;
            ggml_set_output(inputs.Logits);
            ggml_build_forward_expand(graph, inputs.Logits);
        }
        else
        {
            ggml_build_forward_expand(graph, x);
        }

        return (ctx, graph, inputs);
    }

    private static nint Input(nint tensor)
    {
        ggml_set_input(tensor);
        return tensor;
    }

    private static long Pad(long value, long multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>y = W·x, plus B[slot]·(A[slot]·x) per token when a slot in this step targets the projection.</summary>
    private nint Project(nint ctx, StepPlan plan, nint slotIds, nint x, int tokens, int layer, int projection)
    {
        var weight = layer < 0 ? _weights.Output : _weights.Layers[layer].Projections[projection];
        var y = ggml_mul_mat(ctx, weight, x);
        if ((slotIds == 0 && plan.SingleSlot == 0) || (plan.Targets & (1UL << GgmlLoraSlots.TargetBit(layer, projection))) == 0)
        {
            return y;
        }

        if (_kernel is not null)
        {
            return ggml_map_custom3_inplace(ctx, y, x, slotIds, GgmlLoraKernel.Function, -1, _kernel[(layer, projection)]);
        }

        var (input, output) = _config.TargetShape(layer < 0 ? GgmlLlamaConfig.OutputTarget : GgmlLlamaConfig.Projections[projection]);
        var (a, b) = _weights.Lora(layer, projection);
        var rank = _weights.SlotRank;
        if (plan.SingleSlot > 0)
        {
            // One adapter for the whole step: plain products with that slot's matrices (GGML-NOTES.md: mul_mat beats
            // mul_mat_id when groups are few and large).
            var element = (nuint)_weights.SlotElementBytes;
            var sliceA = ggml_view_2d(ctx, a, input, rank, (nuint)input * element, (nuint)plan.SingleSlot * (nuint)input * (nuint)rank * element);
            var sliceB = ggml_view_2d(ctx, b, rank, output, (nuint)rank * element, (nuint)plan.SingleSlot * (nuint)output * (nuint)rank * element);
            return ggml_add(ctx, y, ggml_mul_mat(ctx, sliceB, ggml_mul_mat(ctx, sliceA, x)));
        }

        var down = ggml_mul_mat_id(ctx, a, ggml_reshape_3d(ctx, x, input, 1, tokens), slotIds);
        var delta = ggml_mul_mat_id(ctx, b, down, slotIds);
        return ggml_add(ctx, y, ggml_reshape_2d(ctx, delta, output, tokens));
    }

    /// <summary>
    /// llama.cpp's ggml_rope_ext call: the file's rope mode, Llama 3 factors when present, the layer's base and
    /// linear scale (gemma3's sliding layers have their own), no YaRN extrapolation (ext_factor 0, attn_factor 1,
    /// beta_fast 32, beta_slow 1: llama_context_default_params, which both backends' contexts use).
    /// </summary>
    private nint Rope(nint ctx, nint a, nint positions, bool sliding) =>
        ggml_rope_ext(
            ctx, a, positions, _weights.RopeFactors, _config.HeadDimension, _config.Architecture.RopeMode, _config.RopeOriginalContext,
            sliding ? _config.RopeFrequencyBaseSliding : _config.RopeFrequencyBase,
            sliding ? _config.RopeFrequencyScaleSliding : _config.RopeFrequencyScale,
            0f, 1f, 32f, 1f);

    /// <summary>The first cell a query at <paramref name="start"/> sees through a window of <paramref name="window"/> (0: none).</summary>
    private static int WindowStart(int start, int window) => window > 0 ? Math.Max(0, start - window + 1) : 0;

    /// <summary>
    /// Each sequence attends over its own cells; the per-sequence outputs are concatenated back in token order (the
    /// single-token rows of a step go through one <see cref="GgmlBatchedAttention"/> instead). The
    /// K/V views start at the first cell the item's first query may see: all of them, or with a sliding
    /// <paramref name="window"/> the last <paramref name="window"/> positions (a decode needs no mask then; a prefill
    /// chunk's mask also hides what slid out for its later rows).
    /// </summary>
    /// <param name="scale">flash_attn_ext's kq scale.</param>
    /// <param name="softcap">flash_attn_ext's logit_softcap (0: none).</param>
    private nint Attend(nint ctx, nint q, nint keys, nint values, nint[] masks, int headDimension, int heads, int kvHeads, float scale, float softcap, int window)
    {
        var hd = headDimension;
        var qRow = (nuint)(hd * sizeof(float));
        var qToken = (nuint)(hd * heads * sizeof(float));
        var cellBytes = (nuint)(hd * kvHeads * sizeof(ushort));
        var headBytes = (nuint)(hd * sizeof(ushort));
        var parts = new List<nint>(_layout.Count);
        if (_batched.Active)
        {
            parts.Add(_batched.Attend(ctx, q, keys, values, heads, kvHeads, hd, hd, scale, softcap, window));
        }

        for (var i = 0; i < _layout.Count; i++)
        {
            if (_batched.Covers(i))
            {
                continue;
            }

            var item = _layout[i];
            var first = WindowStart(item.Start, window);
            var length = item.Start + item.Count - first;
            var origin = ((nuint)((long)item.Sequence * SequenceContextSize) + (nuint)first) * cellBytes;
            var qi = ggml_permute(ctx, ggml_view_3d(ctx, q, hd, heads, item.Count, qRow, qToken, (nuint)item.Offset * qToken), 0, 2, 1, 3);
            var ki = ggml_view_3d(ctx, keys, hd, length, kvHeads, cellBytes, headBytes, origin);
            var vi = ggml_view_3d(ctx, values, hd, length, kvHeads, cellBytes, headBytes, origin);
            var output = ggml_flash_attn_ext(ctx, qi, ki, vi, masks[i], scale, 0f, softcap);
            parts.Add(ggml_reshape_2d(ctx, output, hd * heads, item.Count));
        }

        // Pairwise concatenation: O(T log S) copying instead of O(T S).
        while (parts.Count > 1)
        {
            var next = new List<nint>((parts.Count + 1) / 2);
            for (var i = 0; i + 1 < parts.Count; i += 2)
            {
                next.Add(ggml_concat(ctx, parts[i], parts[i + 1], 1));
            }

            if (parts.Count % 2 == 1)
            {
                next.Add(parts[^1]);
            }

            parts = next;
        }

        return _batched.Restore(ctx, parts[0]);
    }

    private void SetInputs(StepPlan plan, Inputs inputs)
    {
        var t = plan.Tokens;
        var tokens = new int[t];
        var positions = new int[t];
        var cells = new long[t];
        var slots = new int[t];
        var outputRows = new int[plan.Outputs];
        var outputSlots = new int[plan.Outputs];
        var row = 0;
        for (var i = 0; i < _layout.Count; i++)
        {
            var item = _layout[i];
            var source = item.Tokens.Span;
            for (var j = 0; j < item.Count; j++)
            {
                var at = item.Offset + j;
                tokens[at] = source[j];
                positions[at] = item.Start + j;
                cells[at] = (long)item.Sequence * SequenceContextSize + item.Start + j;
                slots[at] = item.Slot;
            }

            if (item.WantLogits)
            {
                outputRows[row] = item.Offset + item.Count - 1;
                outputSlots[row] = item.Slot;
                row++;
            }

            if (inputs.Masks[i] != 0)
            {
                SetMask(inputs.Masks[i], item, 0);
            }

            if (inputs.SlidingMasks[i] != 0)
            {
                SetMask(inputs.SlidingMasks[i], item, _config.SlidingWindow);
            }
        }

        Set(inputs.TokenIds, tokens);
        Set(inputs.Positions, positions);
        Set(inputs.Cells, cells);
        if (inputs.SlotIds != 0)
        {
            Set(inputs.SlotIds, slots);
        }

        if (inputs.OutputRows != 0)
        {
            Set(inputs.OutputRows, outputRows);
        }

        if (inputs.OutputSlotIds != 0)
        {
            Set(inputs.OutputSlotIds, outputSlots);
        }

        _batched.SetInputs();
    }

    /// <summary>
    /// Row j (the query at position start + j) sees the cells up to its own position, and with a
    /// <paramref name="window"/> only those less than window positions back (llama.cpp's LLAMA_SWA_TYPE_STANDARD:
    /// a key at p0 is hidden from a query at p1 when p1 - p0 &gt;= n_swa); columns start at the item's window start;
    /// padding rows see nothing.
    /// </summary>
    private static void SetMask(nint mask, ItemLayout item, int window)
    {
        var first = WindowStart(item.Start, window);
        var length = item.Start + item.Count - first;
        var rows = (int)Pad(item.Count, MaskPad);
        var values = new Half[length * rows];
        values.AsSpan().Fill(Half.NegativeInfinity);
        for (var j = 0; j < item.Count; j++)
        {
            var position = item.Start + j;
            var from = window > 0 ? Math.Max(first, position - window + 1) : 0;
            values.AsSpan(j * length + from - first, position - from + 1).Clear();
        }

        Set(mask, values);
    }

    private static void Set<T>(nint tensor, T[] values)
        where T : unmanaged
    {
        // ggml_backend_tensor_set asserts (aborts the process) on a tensor the allocator left out of the graph.
        if (TensorBuffer(tensor) == 0)
        {
            throw new BackendException("a step input is not part of the step's graph.");
        }

        fixed (T* data = values)
        {
            ggml_backend_tensor_set(tensor, data, 0, (nuint)(values.Length * sizeof(T)));
        }
    }

    internal readonly record struct ItemLayout(int ItemIndex, int Sequence, int Start, int Count, int Offset, int Slot, bool WantLogits, ReadOnlyMemory<int> Tokens);

    /// <param name="SingleSlot">The slot every token of the step uses, when there is only one (and it is an adapter's); else 0.</param>
    private readonly record struct StepPlan(int Tokens, int Outputs, ulong Targets, int SingleSlot);

    private sealed class Inputs
    {
        public nint TokenIds { get; init; }

        public nint Positions { get; init; }

        public nint Cells { get; init; }

        public nint SlotIds { get; init; }

        public nint OutputRows { get; init; }

        public nint OutputSlotIds { get; init; }

        public required nint[] Masks { get; init; }

        /// <summary>Per item, the mask of sliding-window layers (prefill chunks of models that have them), else 0.</summary>
        public required nint[] SlidingMasks { get; init; }

        public nint Logits { get; set; }
    }
}
