namespace OpenLoRA.Server.Metrics;

/// <summary>
/// Decides which keys are frequent enough to get their own metric label, at most <c>labelled</c> at a time; every
/// other key is recorded under <see cref="Other"/>. Counts come from the Space-Saving algorithm (Metwally et al.,
/// 2005) over a fixed number of counters, so memory stays bounded whatever the number of distinct keys: a key not
/// monitored takes over the smallest unlabelled counter and inherits its count as its error bound.
/// A key is promoted into the labelled set when its guaranteed count (count − error) beats the guaranteed count of
/// the weakest labelled key, which then loses its label; that is the only way a label is lost. Labelled keys keep
/// their counters (only unlabelled ones are taken over) and promotion compares guaranteed counts, so the set stays
/// stable under flat traffic: a newcomer that only inherited a large count cannot push out a key that earned its own.
/// Deterministic (ties break by ordinal key order) and thread-safe.
/// </summary>
internal sealed class HeavyHitters
{
    /// <summary>Not a valid adapter name ('(' is outside [A-Za-z0-9._-]), so it never collides with a real key.</summary>
    public const string Other = "(other)";

    // Four counters per label: on Zipf-like traffic (the usual shape of adapter popularity) the top keys' counts
    // are then exact or nearly so long before a tail key could reach them. Above one, so an unlabelled one exists.
    private const int CountersPerLabel = 4;

    private readonly int _labelled;
    private readonly int _capacity;
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _top = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public HeavyHitters(int labelled)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labelled, 1);
        _labelled = labelled;
        _capacity = labelled * CountersPerLabel;
    }

    /// <summary>Most keys labelled at once.</summary>
    public int Capacity => _labelled;

    public int LabelledCount
    {
        get
        {
            lock (_gate)
            {
                return _top.Count;
            }
        }
    }

    /// <summary>Counts one occurrence of <paramref name="key"/> and decides its label.</summary>
    public HeavyHitterDecision Observe(string key)
    {
        lock (_gate)
        {
            if (_counters.TryGetValue(key, out var counter))
            {
                counter.Count++;
            }
            else
            {
                counter = new Counter(key, 1, 0);
                if (_counters.Count >= _capacity)
                {
                    var evicted = Smallest(_counters.Values.Where(c => !_top.Contains(c.Key)), c => c.Count);
                    _counters.Remove(evicted.Key);
                    counter = new Counter(key, evicted.Count + 1, evicted.Count);
                }

                _counters.Add(key, counter);
            }

            if (_top.Contains(key))
            {
                return new HeavyHitterDecision(key, null);
            }

            if (_top.Count < _labelled)
            {
                _top.Add(key);
                return new HeavyHitterDecision(key, null);
            }

            var weakest = Smallest(_top.Select(k => _counters[k]), c => c.Guaranteed);
            if (counter.Guaranteed <= weakest.Guaranteed)
            {
                return new HeavyHitterDecision(Other, null);
            }

            _top.Remove(weakest.Key);
            _top.Add(key);
            return new HeavyHitterDecision(key, weakest.Key);
        }
    }

    /// <summary>The counter with the smallest value; ties go to the ordinally greatest key, so early keys stay.</summary>
    private static Counter Smallest(IEnumerable<Counter> counters, Func<Counter, long> value)
    {
        Counter? smallest = null;
        foreach (var candidate in counters)
        {
            if (smallest is null
                || value(candidate) < value(smallest)
                || (value(candidate) == value(smallest) && string.CompareOrdinal(candidate.Key, smallest.Key) > 0))
            {
                smallest = candidate;
            }
        }

        return smallest!;
    }

    private sealed class Counter(string key, long count, long error)
    {
        public string Key { get; } = key;

        public long Count { get; set; } = count;

        public long Error { get; } = error;

        public long Guaranteed => Count - Error;
    }
}
