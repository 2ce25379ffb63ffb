using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>Admission into slots, per-token callbacks and release of finished, cancelled or failed sequences.</summary>
internal sealed partial class ModelScheduler
{
    private void Admit()
    {
        while (_freeSlots.Count > 0 && _queue.Reader.TryRead(out var sequence))
        {
            if (sequence.IsCancelled)
            {
                sequence.Finish("", FinishReason.Cancelled);
                continue;
            }

            if (sequence.Target.Adapter is { } adapter)
            {
                try
                {
                    sequence.Adapter = _adapters.Acquire(adapter);
                }
                catch (Exception ex) when (ex is BackendException or IOException or UnauthorizedAccessException)
                {
                    _logger.LogWarning("Adapter {Name} could not be loaded: {Message}", adapter.Name, ex.Message);
                    sequence.Fail(ex as BackendException ?? new BackendException($"Adapter '{adapter.Name}' could not be read: {ex.Message}"));
                    continue;
                }
            }

            sequence.Slot = _freeSlots.Pop();
            sequence.Decoder = new SequenceDecoder(sequence, _tokenizer, _backend.SequenceContextSize);
            _running.Add(sequence);
        }

        _queueDepth.Set(_queue.Reader.Count);
        _runningGauge.Set(_running.Count);
        _residentGauge.Set(_adapters.Count);
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
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            var sequence = _running[i];
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

        if (sequence.Adapter is not null && sequence.Target.Adapter is { } adapter)
        {
            _adapters.Release(adapter);
            sequence.Adapter = null;
        }
    }
}
