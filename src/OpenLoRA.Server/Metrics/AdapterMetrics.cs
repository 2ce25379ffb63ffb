using Prometheus;

namespace OpenLoRA.Server.Metrics;

/// <summary>
/// Per-adapter requests, generated tokens and latency with bounded cardinality: the <see cref="HeavyHitters"/>
/// tracker gives the busiest adapters their own <c>adapter</c> label and records everyone else under
/// <see cref="HeavyHitters.Other"/>. An adapter that drops out of the top set has its series removed, so at most
/// top + 1 label values are ever exported; its past counts are not moved to <c>(other)</c>, so a rate over
/// <c>(other)</c> only counts traffic recorded under it (docs/METRICS.md).
/// </summary>
internal sealed class AdapterMetrics
{
    // Same buckets as openlora_e2e_request_latency_seconds, so per-adapter and per-model latencies compare.
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.005, 2, 15);

    private readonly HeavyHitters _tracker;
    private readonly Counter _requests;
    private readonly Counter _tokens;
    private readonly Histogram _latency;

    // Decision and recording happen under one lock: otherwise a recording could re-create a series another thread
    // has just removed, leaving a stale label behind.
    private readonly Lock _gate = new();

    public AdapterMetrics(IMetricFactory factory, int topAdapters)
    {
        _tracker = new HeavyHitters(topAdapters);
        _requests = factory.CreateCounter(
            "openlora_adapter_requests_total",
            "Generations that ended, by adapter (the busiest adapters by traffic; the rest as \"(other)\").",
            ["adapter"]);
        _tokens = factory.CreateCounter(
            "openlora_adapter_generated_tokens_total",
            "Completion tokens generated, by adapter (cancelled generations included).",
            ["adapter"]);
        _latency = factory.CreateHistogram(
            "openlora_adapter_request_latency_seconds",
            "From the request's arrival to its last byte, by adapter, for generations that finished.",
            new HistogramConfiguration { LabelNames = ["adapter"], Buckets = LatencyBuckets });
    }

    /// <summary>The process's instance, on the default registry (replaced once at start with the configured top).</summary>
    public static AdapterMetrics Shared { get; private set; } = new(Prometheus.Metrics.DefaultFactory, new MetricsOptions().TopAdapters);

    /// <summary>
    /// Applies the configured top before any traffic. The families live on the process-wide registry, so their
    /// label guard is process-wide too; generation timers are created per request and reach it here.
    /// </summary>
    public static void Configure(MetricsOptions options)
    {
        if (options.TopAdapters != Shared._tracker.Capacity)
        {
            Shared = new AdapterMetrics(Prometheus.Metrics.DefaultFactory, options.TopAdapters);
        }
    }

    /// <summary>Records one ended generation; <paramref name="latency"/> is null for generations that did not finish.</summary>
    public void Record(string adapter, int completionTokens, TimeSpan? latency)
    {
        lock (_gate)
        {
            var decision = _tracker.Observe(adapter);
            if (decision.Demoted is { } demoted)
            {
                _requests.RemoveLabelled(demoted);
                _tokens.RemoveLabelled(demoted);
                _latency.RemoveLabelled(demoted);
            }

            _requests.WithLabels(decision.Label).Inc();
            _tokens.WithLabels(decision.Label).Inc(completionTokens);
            if (latency is { } elapsed)
            {
                _latency.WithLabels(decision.Label).Observe(elapsed.TotalSeconds);
            }
        }
    }
}
