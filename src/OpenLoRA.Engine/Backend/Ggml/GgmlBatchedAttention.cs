using static OpenLoRA.Engine.Backend.Ggml.GgmlNative;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// Attention of every single-token row of a step (decodes, and one-token prompt chunks) in one <c>flash_attn_ext</c>
/// per layer, where the per-sequence path runs one per sequence and concatenates them (32 decodes: 63 barriered ops
/// per layer instead of 3; docs/GGML-BACKEND.md, "Step efficiency", has the profile). The KV cache is a fixed region of
/// <c>SequenceContextSize</c> cells per sequence slot (<see cref="GgmlWeights"/>), so K and V are viewed 4-D
/// [head_dim, cells, kv_heads, slot] over the slots from the lowest to the highest batched one; each slot gets its
/// row's query (gathered with <c>get_rows</c>) and a mask row that opens cells 0..position (with a sliding window,
/// only cells less than <c>window</c> behind the position, as llama.cpp's standard SWA masks them). flash_attn_ext
/// broadcasts a [cells, 1, 1, slots] mask over the heads (q.ne[2] % mask.ne[2] == 0) and matches it per slot
/// (q.ne[3] % mask.ne[3] == 0): the asserts of ggml.c in the shipped libggml-base, which no longer asks for a padded
/// mask. Slots in the range without a batched row get a closed mask and their output row is never gathered.
/// Prefill chunks keep the causal per-sequence path in <see cref="GgmlStepBackend"/>.
/// One step at a time on the scheduler thread: <see cref="Begin"/> and <see cref="Attend"/> while the graph is built,
/// <see cref="Restore"/> on the concatenated attention output, <see cref="SetInputs"/> once the graph is allocated.
/// </summary>
internal sealed unsafe class GgmlBatchedAttention(int sequenceContextSize)
{
    /// <summary>Fewer single-token rows than this gain nothing over the per-sequence path.</summary>
    public const int MinimumRows = 2;

    private readonly List<int> _rows = [];
    private readonly List<(int Window, nint Tensor)> _masks = [];
    private int[] _queryRows = [];
    private int[] _outputRows = [];
    private int[] _order = [];
    private Half[] _mask = [];
    private int _first;
    private int _span;
    private int _cells;
    private int _tokens;
    private nint _queryRowsTensor;
    private nint _outputRowsTensor;
    private nint _orderTensor;
    private IReadOnlyList<GgmlStepBackend.ItemLayout> _layout = [];

    /// <summary>This step batches its single-token rows (set by <see cref="Begin"/>).</summary>
    public bool Active { get; private set; }

    /// <summary>Whether layout item <paramref name="index"/> is one of the rows <see cref="Attend"/> covers.</summary>
    public bool Covers(int index) => Active && _layout[index].Count == 1;

    /// <summary>Plans the step: which rows are batched, the slot range, the cells to view, the input tensors.</summary>
    public void Begin(nint ctx, IReadOnlyList<GgmlStepBackend.ItemLayout> layout, int tokens, bool enabled)
    {
        _layout = layout;
        _rows.Clear();
        _masks.Clear();
        _tokens = tokens;
        Active = false;
        if (!enabled)
        {
            return;
        }

        var first = int.MaxValue;
        var last = -1;
        var cells = 0;
        for (var i = 0; i < layout.Count; i++)
        {
            var item = layout[i];
            if (item.Count == 1)
            {
                _rows.Add(i);
                first = Math.Min(first, item.Sequence);
                last = Math.Max(last, item.Sequence);
                cells = Math.Max(cells, item.Start + 1);
            }
        }

        if (_rows.Count < MinimumRows)
        {
            return;
        }

        Active = true;
        _first = first;
        _span = last - first + 1;
        _cells = cells;
        _queryRowsTensor = Input(ggml_new_tensor_1d(ctx, TypeI32, _span));
        _outputRowsTensor = Input(ggml_new_tensor_1d(ctx, TypeI32, _rows.Count));
        _orderTensor = InTokenOrder() ? 0 : Input(ggml_new_tensor_1d(ctx, TypeI32, tokens));
    }

    /// <summary>
    /// The attention output of the batched rows, [value_head_dim·heads, rows] in layout order, from q
    /// [key_head_dim, heads, tokens] (F32, after rope) and the K/V cache tensors of one layer (after this step's
    /// <c>set_rows</c>, so the graph orders the writes first), rows of kv_heads·head_dim per cell.
    /// </summary>
    public nint Attend(nint ctx, nint q, nint keys, nint values, int heads, int kvHeads, int keyHeadDim, int valueHeadDim, float scale, float softcap, int window)
    {
        if (!Active)
        {
            throw new InvalidOperationException("no batched rows in this step.");
        }

        // Shapes checked here, not by a GGML_ASSERT that would abort the process.
        if (*(int*)q != TypeF32 || TensorNe(q, 0) != keyHeadDim || TensorNe(q, 1) != heads || TensorNe(q, 2) != _tokens
            || kvHeads < 1 || heads % kvHeads != 0
            || TensorNe(keys, 0) != (long)kvHeads * keyHeadDim || TensorNe(values, 0) != (long)kvHeads * valueHeadDim
            || TensorNe(keys, 1) < (long)(_first + _span) * sequenceContextSize || TensorNe(values, 1) < (long)(_first + _span) * sequenceContextSize)
        {
            throw new BackendException("the batched attention got tensors of unexpected shapes.");
        }

        var rows = ggml_get_rows(ctx, ggml_reshape_2d(ctx, q, (long)keyHeadDim * heads, _tokens), _queryRowsTensor);
        var query = ggml_permute(ctx, ggml_reshape_4d(ctx, rows, keyHeadDim, heads, 1, _span), 0, 2, 1, 3);
        var output = ggml_flash_attn_ext(ctx, query, Cells(ctx, keys, keyHeadDim, kvHeads), Cells(ctx, values, valueHeadDim, kvHeads), Mask(ctx, window), scale, 0f, softcap);
        return ggml_get_rows(ctx, ggml_reshape_2d(ctx, output, (long)valueHeadDim * heads, _span), _outputRowsTensor);
    }

    /// <summary>
    /// Puts the attention output back in token order. <paramref name="attention"/> holds the batched rows first, then
    /// every other item's rows in layout order; with the scheduler's plans (decodes first) that already is token order.
    /// </summary>
    public nint Restore(nint ctx, nint attention) => _orderTensor == 0 ? attention : ggml_get_rows(ctx, attention, _orderTensor);

    /// <summary>Writes this step's gather indices and masks; call after the graph is allocated.</summary>
    public void SetInputs()
    {
        if (!Active)
        {
            return;
        }

        Grow(ref _queryRows, _span);
        Grow(ref _outputRows, _rows.Count);
        _queryRows.AsSpan(0, _span).Clear();
        for (var r = 0; r < _rows.Count; r++)
        {
            var item = _layout[_rows[r]];
            _queryRows[item.Sequence - _first] = item.Offset;
            _outputRows[r] = item.Sequence - _first;
        }

        Set(_queryRowsTensor, _queryRows, _span);
        Set(_outputRowsTensor, _outputRows, _rows.Count);
        foreach (var (window, tensor) in _masks)
        {
            Grow(ref _mask, _cells * _span);
            var mask = _mask.AsSpan(0, _cells * _span);
            mask.Fill(Half.NegativeInfinity);
            foreach (var index in _rows)
            {
                var item = _layout[index];
                var from = window > 0 ? Math.Max(0, item.Start - window + 1) : 0;
                mask.Slice((item.Sequence - _first) * _cells + from, item.Start + 1 - from).Clear();
            }

            Set(tensor, _mask, _cells * _span);
        }

        if (_orderTensor != 0)
        {
            Grow(ref _order, _tokens);
            var other = _rows.Count;
            var batched = 0;
            for (var i = 0; i < _layout.Count; i++)
            {
                var item = _layout[i];
                if (item.Count == 1)
                {
                    _order[item.Offset] = batched++;
                    continue;
                }

                for (var j = 0; j < item.Count; j++)
                {
                    _order[item.Offset + j] = other++;
                }
            }

            Set(_orderTensor, _order, _tokens);
        }
    }

    private bool InTokenOrder()
    {
        var seenOther = false;
        foreach (var item in _layout)
        {
            if (item.Count != 1)
            {
                seenOther = true;
            }
            else if (seenOther)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>[head_dim, cells, kv_heads, slots] over the cache rows of the batched slots.</summary>
    private nint Cells(nint ctx, nint cache, int headDim, int kvHeads)
    {
        var element = TensorNb(cache, 0);
        var cell = TensorNb(cache, 1);
        var slot = (nuint)sequenceContextSize * cell;
        return ggml_view_4d(ctx, cache, headDim, _cells, kvHeads, _span, cell, (nuint)headDim * element, slot, (nuint)_first * slot);
    }

    private nint Mask(nint ctx, int window)
    {
        window = Math.Max(0, window);
        foreach (var (existing, tensor) in _masks)
        {
            if (existing == window)
            {
                return tensor;
            }
        }

        var mask = Input(ggml_new_tensor_4d(ctx, TypeF16, _cells, 1, 1, _span));
        _masks.Add((window, mask));
        return mask;
    }

    private static nint Input(nint tensor)
    {
        ggml_set_input(tensor);
        return tensor;
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }

    private static void Set<T>(nint tensor, T[] values, int count)
        where T : unmanaged
    {
        // ggml_backend_tensor_set asserts (aborts the process) on a tensor the allocator left out of the graph.
        if (TensorBuffer(tensor) == 0)
        {
            throw new BackendException("a batched attention input is not part of the step's graph.");
        }

        fixed (T* data = values)
        {
            ggml_backend_tensor_set(tensor, data, 0, (nuint)(count * sizeof(T)));
        }
    }
}
