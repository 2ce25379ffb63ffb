using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
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

            ActivateTenant(sequence.Sampling.Tenant);
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
                    DeactivateTenant(sequence.Sampling.Tenant);
                }
            }
        }
    }

    private void ActivateTenant(string tenant)
    {
        if (!_activeTenants.TryGetValue(tenant, out var count) || count == 0)
        {
            _fairness.Activate(tenant, _activeTenants.Where(t => t.Value > 0).Select(t => t.Key));
        }

        _activeTenants[tenant] = count + 1;
    }

    private void DeactivateTenant(string tenant)
    {
        if (_activeTenants.TryGetValue(tenant, out var count) && --count > 0)
        {
            _activeTenants[tenant] = count;
            return;
        }

        _activeTenants.Remove(tenant);
        _fairness.Trim(_activeTenants);
    }

    /// <summary>Charges each planned sequence's tenant for the tokens this step processed for it.</summary>
    private void ChargeTenants()
    {
        var items = _planner.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var tenant = _planner.PlannedSequences[i].Sampling.Tenant;
            if (_planner.IsDecode[i])
            {
                _fairness.Charge(tenant, 0, 1);
            }
            else
            {
                _fairness.Charge(tenant, items[i].Tokens.Length, 0);
            }
        }
    }

    private void OnLogits(int itemIndex, ReadOnlySpan<float> logits)
    {
        var sequence = _planner.PlannedSequences[itemIndex];
        if (sequence.IsFinished)
        {
            return;
        }

        // Every backend's logits pass here, so one check covers ggml and LLamaSharp. MaxMagnitude is vectorised and
        // returns NaN when any element is NaN and infinity when any is infinite: one pass over the row, about 1 µs
        // for a 32,000-token vocabulary. Only this sequence ends; the others of the step read their own rows.
        if (!float.IsFinite(TensorPrimitives.MaxMagnitude(logits)))
        {
            var adapter = sequence.Target.Adapter;
            LogNonFiniteLogits(_model, adapter?.Name ?? "(base model)", adapter?.Sha256 ?? "", sequence.Position);
            sequence.Fail(new NonFiniteLogitsException(adapter?.Name, adapter?.Sha256));
            return;
        }

        sequence.Decoder!.OnLogits(logits);
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
                DeactivateTenant(sequence.Sampling.Tenant);
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
                DeactivateTenant(_running[i].Sampling.Tenant);
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
            var wasPending = _pending.Remove(sequence);
            if (wasPending)
            {
                Interlocked.Decrement(ref _queued);
            }

            if (wasPending | _running.Remove(sequence))
            {
                DeactivateTenant(sequence.Sampling.Tenant);
            }
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
            LeaveGroup(sequence);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: adapter {Adapter} ({Sha256}) gave non-finite logits at position {Position}; the sequence is ended with adapter_numerical_error and not charged")]
    private partial void LogNonFiniteLogits(string model, string adapter, string sha256, int position);
}
