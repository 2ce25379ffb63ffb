namespace OpenLoRA.Engine.Status;

/// <summary>
/// The process's model status sources, keyed by base model. Process-wide like the prometheus-net registry the same
/// numbers feed: schedulers are created deep inside the engine host, without a container to hand them to.
/// </summary>
internal sealed class EngineStatusBoard : IEngineStatus
{
    public static readonly EngineStatusBoard Shared = new();

    private readonly Dictionary<string, ModelStatusSource> _sources = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Adds or replaces the model's source (a model reloaded under the same name replaces the old one).</summary>
    public void Register(ModelStatusSource source)
    {
        lock (_gate)
        {
            _sources[source.Model] = source;
        }
    }

    /// <summary>Removes the source unless a newer one of the same model replaced it.</summary>
    public void Unregister(ModelStatusSource source)
    {
        lock (_gate)
        {
            if (_sources.TryGetValue(source.Model, out var current) && ReferenceEquals(current, source))
            {
                _sources.Remove(source.Model);
            }
        }
    }

    public IReadOnlyList<ModelStatus> Snapshot()
    {
        ModelStatusSource[] sources;
        lock (_gate)
        {
            sources = [.. _sources.Values];
        }

        return [.. sources.Select(s => s.Snapshot()).OrderBy(s => s.Model, StringComparer.Ordinal)];
    }
}
