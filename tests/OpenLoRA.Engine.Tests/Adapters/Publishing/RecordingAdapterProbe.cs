using System.Collections.Concurrent;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>A probe for publisher tests: records what it was asked to run and answers <see cref="Problem"/>.</summary>
internal sealed class RecordingAdapterProbe : IAdapterProbe
{
    public ConcurrentQueue<ModelTarget> Probed { get; } = new();

    /// <summary>What every probe answers; null (the default) passes.</summary>
    public string? Problem { get; set; }

    public Task<string?> FindProblemAsync(ModelTarget target, CancellationToken cancellationToken)
    {
        Probed.Enqueue(target);
        return Task.FromResult(Problem);
    }
}
