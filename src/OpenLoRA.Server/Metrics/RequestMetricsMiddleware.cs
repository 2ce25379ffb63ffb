using System.Globalization;

namespace OpenLoRA.Server.Metrics;

/// <summary>Counts every request by route template and final status.</summary>
internal sealed class RequestMetricsMiddleware : IMiddleware
{
    /// <summary>The label for requests no route matched: raw paths would let any client grow the label set without bound.</summary>
    private const string Unmatched = "unmatched";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        finally
        {
            var endpoint = context.GetEndpoint() is RouteEndpoint route ? route.RoutePattern.RawText ?? Unmatched : Unmatched;
            var status = context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            ServerMetrics.Requests.WithLabels(endpoint, status).Inc();
        }
    }
}
