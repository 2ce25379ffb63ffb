namespace OpenLoRA.Engine.Scheduling;

/// <summary>A running generation. Read <see cref="Deltas"/> to the end; disposing cancels it if still running.</summary>
public interface IGeneration : IAsyncDisposable
{
    /// <summary>Completes after the delta that carries the finish reason; faults if the engine failed.</summary>
    IAsyncEnumerable<GenerationDelta> Deltas { get; }

    /// <summary>Usage so far; final once <see cref="Deltas"/> has completed.</summary>
    GenerationUsage Usage { get; }

    /// <summary>Generated token ids so far (for attribution and tests).</summary>
    IReadOnlyList<int> CompletionTokenIds { get; }
}
