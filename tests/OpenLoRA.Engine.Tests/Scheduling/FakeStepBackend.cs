using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Tests.Scheduling;

/// <summary>
/// A deterministic stand-in for llama.cpp used only to test the scheduler's own logic: the next token is
/// (last input token + 1 + adapter offset) mod vocab. Records every step.
/// </summary>
internal sealed class FakeStepBackend(int maxSequences, int contextSize, int maxStepTokens) : IStepBackend, ITokenizer
{
    public const int Vocab = 32;
    public const int EndOfGeneration = 31;
    private readonly float[] _logits = new float[Vocab];
    private readonly Dictionary<int, int> _positions = [];

    public List<StepRecord> Steps { get; } = [];

    public List<int> ClearedSlots { get; } = [];

    /// <summary>When set, every Execute waits on it (the test controls step pacing).</summary>
    public SemaphoreSlim? Gate { get; set; }

    public SemaphoreSlim StepEntered { get; } = new(0);

    public int VocabSize => Vocab;

    public string? ChatTemplate => null;

    public int MaxSequences { get; } = maxSequences;

    public int SequenceContextSize { get; } = contextSize;

    public int MaxStepTokens { get; } = maxStepTokens;

    private readonly HashSet<IBackendAdapter> _loaded = [];

    /// <summary>Most adapters ever loaded at once.</summary>
    public int MaxLoaded { get; private set; }

    public int Loads { get; private set; }

    public int Unloads { get; private set; }

    /// <summary>
    /// Adapters whose path contains "nan" put one NaN into their sequence's logits once the sequence holds at least
    /// this many tokens (a numerically broken adapter that is fine for the first tokens).
    /// </summary>
    public int NonFiniteFromPosition { get; set; }

    /// <summary>When set, loading an adapter whose path contains "slow" waits on it (on the loader thread).</summary>
    public SemaphoreSlim? SlowLoadGate { get; set; }

    public IBackendAdapter LoadAdapter(string path)
    {
        if (path.Contains("slow", StringComparison.Ordinal))
        {
            SlowLoadGate?.Wait();
        }

        if (path.Contains("broken", StringComparison.Ordinal))
        {
            throw new BackendException("refused by the fake");
        }

        var adapter = new FakeAdapter(path, System.IO.Path.GetFileName(path).Length % 7 + 1);
        lock (_loaded)
        {
            _loaded.Add(adapter);
            Loads++;
            MaxLoaded = Math.Max(MaxLoaded, _loaded.Count);
        }

        return adapter;
    }

    public void UnloadAdapter(IBackendAdapter adapter)
    {
        lock (_loaded)
        {
            _loaded.Remove(adapter);
            Unloads++;
        }
    }

    public StepStats Execute(IReadOnlyList<StepItem> items, StepLogitsHandler onLogits)
    {
        StepEntered.Release();
        Gate?.Wait();
        var tokens = items.Sum(i => i.Tokens.Length);
        var groups = items.Select(i => i.Adapter).Distinct().Count();
        lock (Steps)
        {
            Steps.Add(new StepRecord(items.Select(i => (i.SequenceId, i.Tokens.Length, i.StartPosition, i.Tokens.Span[0])).ToList(), tokens, groups));
        }

        lock (_loaded)
        {
            if (items.Any(i => i.Adapter is not null && !_loaded.Contains(i.Adapter)))
            {
                throw new InvalidOperationException("A step used an adapter that is not loaded (freed while in use).");
            }
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            _positions.TryGetValue(item.SequenceId, out var expected);
            if (item.StartPosition != expected)
            {
                throw new InvalidOperationException($"Slot {item.SequenceId} continued at {item.StartPosition}, KV holds {expected}.");
            }

            _positions[item.SequenceId] = expected + item.Tokens.Length;
            if (!item.WantLogits)
            {
                continue;
            }

            Array.Clear(_logits);
            var offset = (item.Adapter as FakeAdapter)?.Offset ?? 0;
            _logits[(item.Tokens.Span[^1] + 1 + offset) % Vocab] = 10f;
            if (item.Adapter?.Path.Contains("nan", StringComparison.Ordinal) == true && expected + item.Tokens.Length >= NonFiniteFromPosition)
            {
                _logits[Vocab / 2] = float.NaN;
            }

            onLogits(i, _logits);
        }

        return new StepStats(groups, tokens);
    }

    public void ClearSequence(int sequenceId)
    {
        _positions.Remove(sequenceId);
        lock (ClearedSlots)
        {
            ClearedSlots.Add(sequenceId);
        }
    }

    public int[] Tokenize(string text, bool addBos, bool parseSpecial) => text.Select(c => (c - 'a') % (Vocab - 1)).ToArray();

    public int TokenBytes(int token, Span<byte> destination)
    {
        destination[0] = (byte)('a' + token);
        return 1;
    }

    public bool IsEndOfGeneration(int token) => token == EndOfGeneration;

    public void Dispose()
    {
    }

    internal sealed record StepRecord(List<(int Slot, int Tokens, int Start, int FirstToken)> Items, int Tokens, int Groups);

    private sealed record FakeAdapter(string Path, int Offset) : IBackendAdapter;
}
