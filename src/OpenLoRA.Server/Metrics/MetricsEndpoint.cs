using System.Text;
using Prometheus;

namespace OpenLoRA.Server.Metrics;

/// <summary>
/// <c>GET /metrics</c>: prometheus-net's default registry followed by the <see cref="VllmMetrics"/> families, in the
/// Prometheus text format, or OpenMetrics when the scraper asks for it (its <c># EOF</c> is moved after ours).
/// </summary>
internal static class MetricsEndpoint
{
    private const string OpenMetricsType = "application/openmetrics-text";
    private const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";
    private static readonly byte[] EndOfFile = "# EOF\n"u8.ToArray();

    public static IEndpointRouteBuilder MapOpenLoRAMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", static (HttpContext context, VllmMetrics vllm) => WriteAsync(context, vllm))
            .WithTags("Operations")
            .WithName("Metrics")
            .WithSummary("Prometheus metrics (docs/METRICS.md), vLLM-compatible gauges included")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context, VllmMetrics vllm)
    {
        var openMetrics = context.Request.Headers.Accept.Any(a => a?.Contains(OpenMetricsType, StringComparison.OrdinalIgnoreCase) == true);
        using var buffer = new MemoryStream();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(
            buffer, openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText, context.RequestAborted);
        var length = (int)buffer.Length;
        if (openMetrics && buffer.GetBuffer().AsSpan(0, length).EndsWith(EndOfFile))
        {
            length -= EndOfFile.Length;
        }

        var extra = new StringBuilder();
        vllm.Render(extra);
        if (openMetrics)
        {
            extra.Append("# EOF\n");
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = openMetrics ? OpenMetricsContentType : PrometheusContentType;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, length), context.RequestAborted);
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(extra.ToString()), context.RequestAborted);
    }
}
