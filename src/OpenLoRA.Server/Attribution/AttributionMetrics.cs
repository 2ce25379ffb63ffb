using Prometheus;

namespace OpenLoRA.Server.Attribution;

/// <summary>Prometheus series of the attribution pipeline.</summary>
internal static class AttributionMetrics
{
    public static readonly Counter TracesRecorded = Prometheus.Metrics.CreateCounter(
        "openlora_attribution_traces_total", "Signed attribution traces stored.");

    public static readonly Counter TraceFailures = Prometheus.Metrics.CreateCounter(
        "openlora_attribution_trace_failures_total", "Completed responses whose trace could not be built or stored.");

    public static readonly Counter BatchesSealed = Prometheus.Metrics.CreateCounter(
        "openlora_attribution_batches_total", "Merkle batches sealed.");

    public static readonly Gauge UnbatchedTraces = Prometheus.Metrics.CreateGauge(
        "openlora_attribution_unbatched_traces", "Stored traces waiting for the next Merkle batch.");
}
