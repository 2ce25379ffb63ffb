using System.Runtime.CompilerServices;

namespace OpenLoRA.Engine.Scheduling;

/// <summary>The API's handle on a queued or running <see cref="Sequence"/>.</summary>
internal sealed class Generation : IGeneration
{
    private readonly Sequence _sequence;
    private readonly CancellationTokenRegistration _registration;

    public Generation(Sequence sequence, CancellationToken cancellationToken)
    {
        _sequence = sequence;
        _registration = cancellationToken.Register(static state => ((Sequence)state!).Cancel(), sequence);
    }

    public IAsyncEnumerable<GenerationDelta> Deltas => ReadAsync();

    public GenerationUsage Usage => new(_sequence.PromptTokens.Length, _sequence.CompletionTokens);

    public IReadOnlyList<int> CompletionTokenIds
    {
        get
        {
            lock (_sequence.Generated)
            {
                return _sequence.Generated.ToArray();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _registration.Dispose();
        if (!_sequence.Output.Completion.IsCompleted)
        {
            _sequence.Cancel();
        }

        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<GenerationDelta> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _sequence.Output;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var delta))
            {
                yield return delta;
            }
        }
    }
}
