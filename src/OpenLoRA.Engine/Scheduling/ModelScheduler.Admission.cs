using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>Admission: which pending request gets a free KV slot.</summary>
internal sealed partial class ModelScheduler
{
    /// <summary>
    /// Fills free slots from the pending list. Fairness first: the slot goes to the tenant with the lowest virtual
    /// token counter among those with an admissible request (adapter resident). Within that tenant the admission
    /// policy chooses: arrival order, or adapter affinity — the request whose adapter already runs the most sequences,
    /// because on the LLamaSharp backend every adapter group in a step is a pass over all the base weights (bench
    /// model: one group of 8 = 4.4 ms/token, eight groups of 1 = 14.2 ms/token), so fewer, fuller groups are the
    /// whole throughput lever. Affinity is bounded: a request passed over <c>MaxAdmissionBypass</c> times goes next.
    /// Requests still waiting for their adapter are skipped without blocking anyone.
    /// </summary>
    private void Admit()
    {
        while (_freeSlots.Count > 0)
        {
            var chosen = ChooseAdmission();
            if (chosen < 0)
            {
                break;
            }

            var sequence = _pending[chosen];
            IBackendAdapter? handle = null;
            if (sequence.Target.Adapter is { } adapter && !_adapters.TryGetHandle(adapter, out handle))
            {
                throw new InvalidOperationException("An admissible request lost its resident adapter.");
            }

            _pending.RemoveAt(chosen);
            Interlocked.Decrement(ref _queued);
            sequence.Adapter = handle;
            sequence.Slot = _freeSlots.Pop();
            sequence.Decoder = new SequenceDecoder(sequence, _tokenizer, _backend.SequenceContextSize);
            JoinGroup(sequence);
            _running.Add(sequence);
        }

        _queueDepth.Set(Volatile.Read(ref _queued));
        _runningGauge.Set(_running.Count);
    }

    /// <summary>The index in the pending list of the request to admit next, or -1 when none can be.</summary>
    private int ChooseAdmission()
    {
        // The tenant: lowest counter; its oldest admissible request is the first found, as the list is in arrival order.
        var oldest = -1;
        for (var i = 0; i < _pending.Count; i++)
        {
            if (IsAdmissible(_pending[i])
                && (oldest < 0 || _fairness[_pending[i].Sampling.Tenant] < _fairness[_pending[oldest].Sampling.Tenant]))
            {
                oldest = i;
            }
        }

        if (oldest < 0 || _admission == AdmissionPolicy.Fifo || _pending[oldest].AdmissionBypasses >= _maxAdmissionBypass)
        {
            return oldest;
        }

        var tenant = _pending[oldest].Sampling.Tenant;
        var best = oldest;
        var bestSize = GroupSize(_pending[oldest]);
        for (var i = oldest + 1; i < _pending.Count; i++)
        {
            var candidate = _pending[i];
            if (candidate.Sampling.Tenant == tenant && IsAdmissible(candidate) && GroupSize(candidate) > bestSize)
            {
                best = i;
                bestSize = GroupSize(candidate);
            }
        }

        // Age everyone of this tenant the choice jumped over, so affinity can delay a request but never starve it.
        for (var i = oldest; i < best; i++)
        {
            if (_pending[i].Sampling.Tenant == tenant && IsAdmissible(_pending[i]))
            {
                _pending[i].AdmissionBypasses++;
            }
        }

        return best;
    }

    private bool IsAdmissible(Sequence sequence) =>
        sequence.Target.Adapter is not { } adapter || _adapters.TryGetHandle(adapter, out _);

    private int GroupSize(Sequence sequence) => _groupSizes.GetValueOrDefault(GroupKey(sequence));

    private void JoinGroup(Sequence sequence)
    {
        var key = GroupKey(sequence);
        _groupSizes[key] = _groupSizes.GetValueOrDefault(key) + 1;
        sequence.Group = key;
    }

    private void LeaveGroup(Sequence sequence)
    {
        if (sequence.Group is not { } key)
        {
            return;
        }

        sequence.Group = null;
        if (--_groupSizes[key] == 0)
        {
            _groupSizes.Remove(key);
        }
    }

    private static string GroupKey(Sequence sequence) => sequence.Target.Adapter?.Sha256 ?? "";
}
