using OpenLoRA.Engine.Scheduling;
using Prometheus;

namespace OpenLoRA.Engine.Status;

/// <summary>
/// One base model's live status. Written by its scheduler thread (through the resident adapter set, and
/// <see cref="ObserveRunning"/> once per loop), read by any thread: each field is published atomically, so a reader
/// may see the adapters of one loop and the KV usage of the next, never a torn value.
/// </summary>
internal sealed class ModelStatusSource(string model, int maxResidentAdapters, long kvCellsTotal)
{
    // The scheduler already keeps these two gauges exact; reading them avoids a second copy of its counters.
    private readonly Gauge.Child _waiting = EngineMetrics.QueueDepth.WithLabels(model);
    private readonly Gauge.Child _running = EngineMetrics.RunningSequences.WithLabels(model);
    private AdapterActivity _adapters = AdapterActivity.None;
    private long _kvCellsUsed;

    public string Model => model;

    public void PublishAdapters(AdapterActivity adapters) => Volatile.Write(ref _adapters, adapters);

    /// <summary>Sums the KV positions of the running sequences (scheduler thread; allocates nothing).</summary>
    public void ObserveRunning(List<Sequence> running)
    {
        long used = 0;
        for (var i = 0; i < running.Count; i++)
        {
            used += running[i].Position;
        }

        Volatile.Write(ref _kvCellsUsed, used);
    }

    public ModelStatus Snapshot()
    {
        var adapters = Volatile.Read(ref _adapters);
        return new ModelStatus(
            model,
            (int)_waiting.Value,
            (int)_running.Value,
            Volatile.Read(ref _kvCellsUsed),
            kvCellsTotal,
            maxResidentAdapters,
            adapters.Running,
            adapters.Waiting);
    }
}
