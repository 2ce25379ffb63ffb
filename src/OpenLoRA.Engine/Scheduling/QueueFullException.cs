namespace OpenLoRA.Engine.Scheduling;

/// <summary>The base model's bounded queue is full; the client should retry after <see cref="RetryAfter"/>.</summary>
public sealed class QueueFullException(string baseModel, TimeSpan retryAfter)
    : Exception($"The queue for model '{baseModel}' is full; retry later.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
