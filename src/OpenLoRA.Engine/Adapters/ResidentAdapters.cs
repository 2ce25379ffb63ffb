using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Status;

namespace OpenLoRA.Engine.Adapters;

/// <summary>
/// The bounded set of adapters loaded into one backend, keyed by content hash. Bounded by count and bytes because
/// every adapter loaded on a model makes each adapter switch re-reserve a bigger graph (LLAMA-NOTES.md: +4 ms with
/// 100 loaded, +72 ms with 1,000). An adapter is pinned by every queued or running sequence that needs it, loaded
/// on the loader thread as soon as the first such request is queued (prefetch), and only unpinned adapters are
/// evicted, least recently used first; eviction clears the adapter from the context before freeing it.
/// Scheduler thread only (the loader hands results back through <see cref="Pump"/>).
/// </summary>
internal sealed class ResidentAdapters : IDisposable
{
    private readonly IStepBackend _backend;
    private readonly ResidentAdapterLimits _limits;
    private readonly ILogger _logger;
    private readonly AdapterLoader _loader;
    private readonly AdapterCacheMetrics _metrics;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<Entry> _wanted = new();
    private long _clock;
    private bool _activityChanged;

    public ResidentAdapters(IStepBackend backend, string model, ResidentAdapterLimits limits, Action wake, ILogger logger)
    {
        _backend = backend;
        _limits = limits;
        _logger = logger;
        _metrics = new AdapterCacheMetrics(model);
        _loader = new AdapterLoader(backend, model, wake);
        Status = new ModelStatusSource(model, limits.MaxCount, (long)backend.MaxSequences * backend.SequenceContextSize);
        EngineStatusBoard.Shared.Register(Status);
    }

    /// <summary>This model's live status (adapter names published here; the scheduler reports its KV usage to it).</summary>
    public ModelStatusSource Status { get; }

    /// <summary>Loaded or loading adapters (what counts against the limits).</summary>
    public int Count { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Pins the adapter for one sequence; it is loaded (or queued for loading) if it is not resident.</summary>
    public void Pin(AdapterInfo adapter)
    {
        if (_entries.TryGetValue(adapter.Sha256, out var entry))
        {
            _metrics.Hit();
        }
        else
        {
            _metrics.Miss();
            entry = new Entry(adapter);
            _entries[adapter.Sha256] = entry;
            _wanted.Enqueue(entry);
        }

        _activityChanged |= entry.Pins == 0;
        entry.Pins++;
        entry.LastUsed = ++_clock;
        PublishActivity();
    }

    public void Unpin(AdapterInfo adapter)
    {
        if (!_entries.TryGetValue(adapter.Sha256, out var entry) || entry.Pins == 0)
        {
            return;
        }

        entry.Pins--;
        entry.LastUsed = ++_clock;
        _activityChanged |= entry.Pins == 0;
        if (entry.Pins == 0 && entry.State == EntryState.Wanted)
        {
            // Nobody waits for it any more; it leaves the wanted queue when the queue reaches it.
            entry.State = EntryState.Gone;
            _entries.Remove(adapter.Sha256);
        }

        PublishActivity();
    }

    public bool TryGetHandle(AdapterInfo adapter, out IBackendAdapter handle)
    {
        if (_entries.TryGetValue(adapter.Sha256, out var entry) && entry.State == EntryState.Ready)
        {
            handle = entry.Handle!;
            return true;
        }

        handle = null!;
        return false;
    }

    /// <summary>
    /// Applies finished loads and starts loads for wanted adapters as room allows. Returns the adapters whose load
    /// failed: the sequences waiting for them must fail (their pins are dropped here).
    /// </summary>
    public IReadOnlyList<AdapterLoadResult> Pump()
    {
        List<AdapterLoadResult>? failed = null;
        while (_loader.TryTakeResult(out var result))
        {
            if (!Complete(result))
            {
                (failed ??= []).Add(result);
            }
        }

        StartWantedLoads(ref failed);
        _metrics.SetResident(Count, Bytes);
        PublishActivity();
        return failed ?? (IReadOnlyList<AdapterLoadResult>)[];
    }

    public void Dispose()
    {
        EngineStatusBoard.Shared.Unregister(Status);
        _loader.Dispose();
    }

    private bool Complete(AdapterLoadResult result)
    {
        var entry = _entries.GetValueOrDefault(result.Adapter.Sha256);
        if (result.Handle is null)
        {
            _metrics.LoadFailed();
            _logger.LogWarning("Adapter {Name} ({Sha256}) failed to load: {Message}", result.Adapter.Name, result.Adapter.Sha256, result.Error?.Message);
            Forget(entry);
            return false;
        }

        _metrics.Loaded(result.Elapsed);
        if (entry is null)
        {
            _backend.UnloadAdapter(result.Handle);
            return true;
        }

        entry.Handle = result.Handle;
        entry.State = EntryState.Ready;
        _activityChanged = true;
        _logger.LogDebug("Loaded adapter {Name} ({Sha256}) in {Milliseconds} ms", result.Adapter.Name, result.Adapter.Sha256, result.Elapsed.TotalMilliseconds);
        return true;
    }

    private void StartWantedLoads(ref List<AdapterLoadResult>? failed)
    {
        while (_wanted.TryPeek(out var entry))
        {
            if (entry.State != EntryState.Wanted)
            {
                _wanted.Dequeue();
                continue;
            }

            if (entry.Adapter.SizeBytes > _limits.MaxBytes)
            {
                _wanted.Dequeue();
                Forget(entry);
                (failed ??= []).Add(new AdapterLoadResult(entry.Adapter, null, new BackendException(
                    $"Adapter '{entry.Adapter.Name}' ({entry.Adapter.SizeBytes} bytes) exceeds the resident adapter budget of {_limits.MaxBytes} bytes."), TimeSpan.Zero));
                continue;
            }

            if (!MakeRoom(entry.Adapter.SizeBytes))
            {
                // Every resident adapter is pinned: the head waits (in order) until a sequence releases one.
                return;
            }

            _wanted.Dequeue();
            entry.State = EntryState.Loading;
            Count++;
            Bytes += entry.Adapter.SizeBytes;
            _loader.Request(entry.Adapter);
        }
    }

    private bool MakeRoom(long bytes)
    {
        while (Count + 1 > _limits.MaxCount || Bytes + bytes > _limits.MaxBytes)
        {
            Entry? victim = null;
            foreach (var candidate in _entries.Values)
            {
                if (candidate.State == EntryState.Ready && candidate.Pins == 0 && (victim is null || candidate.LastUsed < victim.LastUsed))
                {
                    victim = candidate;
                }
            }

            if (victim is null)
            {
                return false;
            }

            _backend.UnloadAdapter(victim.Handle!);
            Forget(victim);
            _metrics.Evicted();
            _logger.LogDebug("Evicted adapter {Name} ({Sha256})", victim.Adapter.Name, victim.Adapter.Sha256);
        }

        return true;
    }

    private void Forget(Entry? entry)
    {
        if (entry is null)
        {
            return;
        }

        if (entry.State is EntryState.Loading or EntryState.Ready)
        {
            Count--;
            Bytes -= entry.Adapter.SizeBytes;
        }

        _activityChanged |= entry.Pins > 0;
        entry.State = EntryState.Gone;
        _entries.Remove(entry.Adapter.Sha256);
    }

    /// <summary>
    /// Publishes the pinned adapters' names when a pin or a load changed them: once per request and load, never per
    /// step. Running: loaded and pinned by a queued or running sequence; waiting: pinned, not loaded yet.
    /// </summary>
    private void PublishActivity()
    {
        if (!_activityChanged)
        {
            return;
        }

        _activityChanged = false;
        var running = new SortedSet<string>(StringComparer.Ordinal);
        var waiting = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in _entries.Values)
        {
            if (entry.Pins == 0)
            {
                continue;
            }

            (entry.State == EntryState.Ready ? running : waiting).Add(entry.Adapter.Name);
        }

        Status.PublishAdapters(new AdapterActivity([.. running], [.. waiting]));
    }

    private enum EntryState
    {
        Wanted,
        Loading,
        Ready,
        Gone,
    }

    private sealed class Entry(AdapterInfo adapter)
    {
        public AdapterInfo Adapter { get; } = adapter;

        public EntryState State { get; set; } = EntryState.Wanted;

        public IBackendAdapter? Handle { get; set; }

        public int Pins { get; set; }

        public long LastUsed { get; set; }
    }
}
