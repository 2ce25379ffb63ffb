using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>Queue draining, adapter pinning, admission into slots, per-token callbacks and release.</summary>
internal sealed partial class ModelScheduler
{
    /// <summary>Moves queued requests to the pending list and pins their adapters, which starts loading them at once.</summary>
    private void DrainQueue()
    {
        while (_queue.Reader.TryRead(out var sequence))
        {
            if (sequence.Target.Adapter is { } adapter)
            {
                _adapters.Pin(adapter);
            }

            _pending.Add(sequence);
        }
    }

    private void PumpAdapters()
    {
        foreach (var failed in _adapters.Pump())
        {
            for (var i = _pending.Count - 1; i >= 0; i--)
            {
                var sequence = _pending[i];
                if (sequence.Target.Adapter?.Sha256 == failed.Adapter.Sha256)
                {
                    // The resident set dropped this adapter's pins with the failed load.
                    sequence.Fail(failed.Error!);
                    _pending.RemoveAt(i);
                    Interlocked.Decrement(ref _queued);
                }
            }
        }
    }

    /// <summary>Admits pending requests in arrival order whose adapter is resident; others wait without blocking anyone.</summary>
    private void Admit()
    {
        for (var i = 0; i < _pending.Count && _freeSlots.Count > 0;)
        {
            var sequence = _pending[i];
            IBackendAdapter? handle = null;
            if (sequence.Target.Adapter is { } adapter && !_adapters.TryGetHandle(adapter, out handle))
            {
                i++;
                continue;
            }

            _pending.RemoveAt(i);
            Interlocked.Decrement(ref _queued);
            sequence.Adapter = handle;
            sequence.Slot = _freeSlots.Pop();
            sequence.Decoder = new SequenceDecoder(sequence, _tokenizer, _backend.SequenceContextSize);
            _running.Add(sequence);
        }

        _queueDepth.Set(Volatile.Read(ref _queued));
        _runningGauge.Set(_running.Count);
    }

    private void OnLogits(int itemIndex, ReadOnlySpan<float> logits)
    {
        var sequence = _planner.PlannedSequences[itemIndex];
        if (!sequence.IsFinished)
        {
            sequence.Decoder!.OnLogits(logits);
        }
    }

    private void DropCancelled()
    {
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            var sequence = _pending[i];
            if (sequence.IsCancelled)
            {
                sequence.Finish("", FinishReason.Cancelled);
                Unpin(sequence);
                _pending.RemoveAt(i);
                Interlocked.Decrement(ref _queued);
            }
        }

        foreach (var sequence in _running)
        {
            if (sequence.IsCancelled && !sequence.IsFinished)
            {
                sequence.Finish("", FinishReason.Cancelled);
            }
        }

        RemoveFinished();
    }

    private void RemoveFinished()
    {
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            if (_running[i].IsFinished)
            {
                Release(_running[i]);
                _running.RemoveAt(i);
            }
        }

        _runningGauge.Set(_running.Count);
    }

    private void FailAll(List<Sequence> sequences, Exception error)
    {
        foreach (var sequence in sequences.ToList())
        {
            sequence.Fail(error);
            Release(sequence);
            if (_pending.Remove(sequence))
            {
                Interlocked.Decrement(ref _queued);
            }

            _running.Remove(sequence);
        }

        _runningGauge.Set(_running.Count);
    }

    private void Release(Sequence sequence)
    {
        if (sequence.Slot >= 0)
        {
            _backend.ClearSequence(sequence.Slot);
            _freeSlots.Push(sequence.Slot);
            sequence.Slot = -1;
        }

        Unpin(sequence);
    }

    private void Unpin(Sequence sequence)
    {
        if (!sequence.AdapterReleased && sequence.Target.Adapter is { } adapter)
        {
            sequence.AdapterReleased = true;
            _adapters.Unpin(adapter);
        }

        sequence.Adapter = null;
    }
}
