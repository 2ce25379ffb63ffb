using Prometheus;

namespace OpenLoRA.Server.Metrics;

/// <summary>
/// HTTP-level metrics on prometheus-net's default registry, next to the engine's scheduler metrics. The names are a
/// public contract (README, dashboards): change them only with a release note. <c>model</c> is the base model.
/// </summary>
internal static class ServerMetrics
{
    // Seconds; 5 ms to ~82 s covers a warm small model on a GPU up to a long queue wait on 2 CPU cores.
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.005, 2, 15);

    // Seconds per token; 0.5 ms (batched GPU decode) to ~4 s (a CPU under heavy multi-adapter load).
    private static readonly double[] PerTokenBuckets = Histogram.ExponentialBuckets(0.0005, 2, 14);

    public static readonly Counter Requests = Prometheus.Metrics.CreateCounter(
        "openlora_http_requests_total",
        "HTTP requests by route template and final status code.",
        "endpoint", "status");

    public static readonly Histogram TimeToFirstToken = Prometheus.Metrics.CreateHistogram(
        "openlora_time_to_first_token_seconds",
        "From the request's arrival to its first generated token (queue wait and prefill included).",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = LatencyBuckets });

    public static readonly Histogram TimePerOutputToken = Prometheus.Metrics.CreateHistogram(
        "openlora_time_per_output_token_seconds",
        "Mean time between generated tokens after the first, one observation per request.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = PerTokenBuckets });

    public static readonly Histogram EndToEndLatency = Prometheus.Metrics.CreateHistogram(
        "openlora_e2e_request_latency_seconds",
        "From the request's arrival to its last byte, for generations that finished.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = LatencyBuckets });

    public static readonly Counter PromptTokens = Prometheus.Metrics.CreateCounter(
        "openlora_prompt_tokens_total", "Prompt tokens of accepted generations.", "model");

    public static readonly Counter GeneratedTokens = Prometheus.Metrics.CreateCounter(
        "openlora_generated_tokens_total", "Completion tokens generated (cancelled generations included).", "model");

    public static readonly Counter UnbillableAdapters = Prometheus.Metrics.CreateCounter(
        "openlora_unbillable_adapters_total",
        "Adapters found with a publisher price billing cannot charge: left out of listings and refused for inference, each logged as an error and counted once.");
}
