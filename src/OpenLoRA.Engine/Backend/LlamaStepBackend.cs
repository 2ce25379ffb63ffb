using System.Runtime.CompilerServices;
using LLama.Native;

namespace OpenLoRA.Engine.Backend;

/// <summary>
/// One llama context with a sequence slot per running request. Each step decodes one batch per adapter group on
/// the shared KV cache: llama.cpp applies one adapter set per decode, so sequences on different adapters cannot
/// share a forward pass here (LLAMA-NOTES.md: 8 groups of 1 ≈ 90 tok/s vs one batch of 8 ≈ 190–260 tok/s on
/// the 134M bench model). Logits of a group are consumed before the next decode overwrites them.
/// </summary>
internal sealed class LlamaStepBackend : IStepBackend
{
    private readonly LlamaModel _model;
    private readonly SafeLLamaContextHandle _context;
    private readonly LLamaBatch _batch = new();
    private readonly List<int> _logitItems = [];
    private readonly List<int> _groupOrder = [];
    private readonly Dictionary<IBackendAdapter, List<int>> _groups = new(ReferenceEqualityComparer.Instance);
    private readonly List<int> _baseGroup = [];
    private readonly HashSet<LlamaAdapter> _loaded = new(ReferenceEqualityComparer.Instance);
    // Adapters are loaded on the loader thread while the scheduler thread decodes; native calls on this model are
    // serialized by this gate so a load never overlaps a decode (only the hash check and file read run beside it).
    private readonly Lock _nativeGate = new();
    private LlamaAdapter? _current;
    private bool _currentIsSet;

    public LlamaStepBackend(LlamaModel model, LlamaStepBackendOptions options)
    {
        _model = model;
        SequenceContextSize = options.SequenceContextSize;
        MaxSequences = options.MaxSequences;
        MaxStepTokens = options.MaxStepTokens;
        var parameters = LLamaContextParams.Default();
        parameters.n_ctx = checked((uint)(options.SequenceContextSize * options.MaxSequences));
        parameters.n_batch = checked((uint)options.MaxStepTokens);
        parameters.n_ubatch = checked((uint)Math.Min(options.MaxStepTokens, 512));
        parameters.n_seq_max = checked((uint)options.MaxSequences);
        parameters.kv_unified = false;
        var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        parameters.n_threads = threads;
        parameters.n_threads_batch = threads;
        try
        {
            _context = SafeLLamaContextHandle.Create(model.Handle, parameters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new BackendException($"llama.cpp could not create a context: {ex.Message}");
        }
    }

    public int VocabSize => _model.VocabSize;

    public int MaxSequences { get; }

    public int SequenceContextSize { get; }

    public int MaxStepTokens { get; }

    public IBackendAdapter LoadAdapter(string path)
    {
        LoraAdapter native;
        try
        {
            lock (_nativeGate)
            {
                native = _model.Handle.LoadLoraFromFile(path);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new BackendException($"llama.cpp refused adapter '{path}': {ex.Message}");
        }

        // LoadLoraFromFile does not check for a null pointer; setting such an adapter crashes the next decode.
        if (GetNativePointer(native) == IntPtr.Zero)
        {
            throw new BackendException($"llama.cpp refused adapter '{path}'.");
        }

        var adapter = new LlamaAdapter(native, path);
        lock (_nativeGate)
        {
            _loaded.Add(adapter);
        }

        return adapter;
    }

    public void UnloadAdapter(IBackendAdapter adapter)
    {
        var llama = (LlamaAdapter)adapter;
        lock (_nativeGate)
        {
            if (_loaded.Remove(llama))
            {
                ClearAndFree(llama);
            }
        }
    }

    private void ClearAndFree(LlamaAdapter llama)
    {
        // Freeing an adapter still set on a context makes the next decode read freed memory.
        if (ReferenceEquals(_current, llama))
        {
            _context.SetLoraAdapters();
            _current = null;
            _currentIsSet = false;
        }

        llama.Native.Unload();
    }

    public StepStats Execute(IReadOnlyList<StepItem> items, StepLogitsHandler onLogits)
    {
        lock (_nativeGate)
        {
            return ExecuteLocked(items, onLogits);
        }
    }

    private StepStats ExecuteLocked(IReadOnlyList<StepItem> items, StepLogitsHandler onLogits)
    {
        GroupByAdapter(items);
        var tokens = 0;
        var groups = 0;
        if (_baseGroup.Count > 0)
        {
            tokens += DecodeGroup(null, _baseGroup, items, onLogits);
            groups++;
        }

        foreach (var key in _groupOrder)
        {
            var adapter = (LlamaAdapter)items[key].Adapter!;
            tokens += DecodeGroup(adapter, _groups[adapter], items, onLogits);
            groups++;
        }

        return new StepStats(groups, tokens);
    }

    public void ClearSequence(int sequenceId)
    {
        lock (_nativeGate)
        {
            _context.MemorySequenceRemove((LLamaSeqId)sequenceId, -1, -1);
        }
    }

    public void Dispose()
    {
        lock (_nativeGate)
        {
            _context.SetLoraAdapters();
            foreach (var adapter in _loaded)
            {
                adapter.Native.Unload();
            }

            _loaded.Clear();
            _context.Dispose();
        }
    }

    private void GroupByAdapter(IReadOnlyList<StepItem> items)
    {
        foreach (var list in _groups.Values)
        {
            list.Clear();
        }

        _groupOrder.Clear();
        _baseGroup.Clear();
        for (var i = 0; i < items.Count; i++)
        {
            var adapter = items[i].Adapter;
            if (adapter is null)
            {
                _baseGroup.Add(i);
                continue;
            }

            if (!_groups.TryGetValue(adapter, out var list))
            {
                list = [];
                _groups[adapter] = list;
            }

            if (list.Count == 0)
            {
                _groupOrder.Add(i);
            }

            list.Add(i);
        }

        // Drop group lists of adapters no longer in use so the dictionary stays bounded by the resident set.
        if (_groups.Count > 4 * Math.Max(1, _groupOrder.Count) + 16)
        {
            foreach (var key in _groups.Where(pair => pair.Value.Count == 0).Select(pair => pair.Key).ToList())
            {
                _groups.Remove(key);
            }
        }
    }

    private int DecodeGroup(LlamaAdapter? adapter, List<int> members, IReadOnlyList<StepItem> items, StepLogitsHandler onLogits)
    {
        SetAdapter(adapter);
        _batch.Clear();
        _logitItems.Clear();
        foreach (var index in members)
        {
            var item = items[index];
            var span = item.Tokens.Span;
            for (var t = 0; t < span.Length; t++)
            {
                var wantLogits = item.WantLogits && t == span.Length - 1;
                var position = _batch.Add(span[t], item.StartPosition + t, (LLamaSeqId)item.SequenceId, wantLogits);
                if (wantLogits)
                {
                    _logitItems.Add(index);
                    _logitItems.Add(position);
                }
            }
        }

        var result = _context.Decode(_batch);
        if (result != DecodeResult.Ok)
        {
            throw new BackendException($"llama_decode failed: {result}.");
        }

        for (var i = 0; i < _logitItems.Count; i += 2)
        {
            onLogits(_logitItems[i], _context.GetLogitsIth(_logitItems[i + 1]));
        }

        return _batch.TokenCount;
    }

    private void SetAdapter(LlamaAdapter? adapter)
    {
        if (_currentIsSet && ReferenceEquals(_current, adapter))
        {
            return;
        }

        if (adapter is null)
        {
            _context.SetLoraAdapters();
        }
        else
        {
            _context.SetLoraAdapters((adapter.Native, 1f));
        }

        _current = adapter;
        _currentIsSet = true;
    }

    // LoraAdapter.Pointer is internal in LLamaSharp 0.30.0, and a refused load yields a zero pointer.
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Pointer")]
    private static extern IntPtr GetNativePointer(LoraAdapter adapter);
}
