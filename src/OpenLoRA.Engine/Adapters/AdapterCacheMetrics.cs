using Prometheus;

namespace OpenLoRA.Engine.Adapters;

/// <summary>Resident adapter cache series of one base model.</summary>
internal sealed class AdapterCacheMetrics(string model)
{
    private static readonly Counter Hits = Metrics.CreateCounter(
        "openlora_adapter_cache_hits_total", "Requests whose adapter was resident or already loading when queued.", "model");

    private static readonly Counter Misses = Metrics.CreateCounter(
        "openlora_adapter_cache_misses_total", "Requests whose adapter had to be loaded.", "model");

    private static readonly Counter Loads = Metrics.CreateCounter(
        "openlora_adapter_loads_total", "Adapters loaded into the backend.", "model");

    private static readonly Counter LoadFailures = Metrics.CreateCounter(
        "openlora_adapter_load_failures_total", "Adapter loads that failed (their requests got an error).", "model");

    private static readonly Counter Evictions = Metrics.CreateCounter(
        "openlora_adapter_evictions_total", "Adapters freed to make room (least recently used, unpinned).", "model");

    private static readonly Histogram LoadSeconds = Metrics.CreateHistogram(
        "openlora_adapter_load_seconds", "Time to verify and load one adapter on the loader thread.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    private static readonly Gauge ResidentCount = Metrics.CreateGauge(
        "openlora_resident_adapters", "Adapters loaded or loading in the backend.", "model");

    private static readonly Gauge ResidentBytes = Metrics.CreateGauge(
        "openlora_resident_adapter_bytes", "File bytes of the adapters loaded or loading in the backend.", "model");

    private readonly Counter.Child _hits = Hits.WithLabels(model);
    private readonly Counter.Child _misses = Misses.WithLabels(model);
    private readonly Counter.Child _loads = Loads.WithLabels(model);
    private readonly Counter.Child _loadFailures = LoadFailures.WithLabels(model);
    private readonly Counter.Child _evictions = Evictions.WithLabels(model);
    private readonly Histogram.Child _loadSeconds = LoadSeconds.WithLabels(model);
    private readonly Gauge.Child _residentCount = ResidentCount.WithLabels(model);
    private readonly Gauge.Child _residentBytes = ResidentBytes.WithLabels(model);

    public void Hit() => _hits.Inc();

    public void Miss() => _misses.Inc();

    public void Loaded(TimeSpan elapsed)
    {
        _loads.Inc();
        _loadSeconds.Observe(elapsed.TotalSeconds);
    }

    public void LoadFailed() => _loadFailures.Inc();

    public void Evicted() => _evictions.Inc();

    public void SetResident(int count, long bytes)
    {
        _residentCount.Set(count);
        _residentBytes.Set(bytes);
    }
}
