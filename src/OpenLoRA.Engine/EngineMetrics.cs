using Prometheus;

namespace OpenLoRA.Engine;

/// <summary>Scheduler metrics, published on prometheus-net's default registry (served at /metrics by the host).</summary>
internal static class EngineMetrics
{
    public static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "openlora_queue_depth", "Requests waiting for a sequence slot.", "model");

    public static readonly Gauge RunningSequences = Metrics.CreateGauge(
        "openlora_running_sequences", "Sequences holding a slot (prefilling or decoding).", "model");

    public static readonly Histogram StepDuration = Metrics.CreateHistogram(
        "openlora_step_duration_seconds", "Wall time of one scheduler step (all adapter groups).",
        new HistogramConfiguration
        {
            LabelNames = ["model"],
            Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16),
        });

    public static readonly Histogram StepAdapterGroups = Metrics.CreateHistogram(
        "openlora_step_adapter_groups", "Forward passes per scheduler step: one per adapter group on LLamaSharp, one on ggml.",
        new HistogramConfiguration
        {
            LabelNames = ["model"],
            Buckets = [1, 2, 3, 4, 6, 8, 12, 16, 32, 64],
        });

    public static readonly Histogram StepTokens = Metrics.CreateHistogram(
        "openlora_step_tokens", "Tokens decoded per scheduler step (decode plus prefill).",
        new HistogramConfiguration
        {
            LabelNames = ["model"],
            Buckets = Histogram.ExponentialBuckets(1, 2, 12),
        });

    public static readonly Gauge BackendInfo = Metrics.CreateGauge(
        "openlora_model_backend_info", "1 for the step backend each model runs on (ggml or llamasharp) and its compute device.", "model", "backend", "device");

    public static readonly Gauge RegisteredAdapters = Metrics.CreateGauge(
        "openlora_registered_adapters", "Adapters registered (servable) on the base model.", "model");

    public static readonly Counter UnreadableAdapterRows = Metrics.CreateCounter(
        "openlora_adapter_registry_unreadable_rows_total", "Live rows of the adapter registry that could not be read at start: skipped (not served), each logged as an error.");

    public static readonly Counter StepFailures = Metrics.CreateCounter(
        "openlora_step_failures_total", "Scheduler steps whose decode failed (their sequences get an error).", "model");
}
