namespace OpenLoRA.Server.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: one HTML page and its script, embedded in the assembly (no CDN, nothing fetched at
/// build or run time). The page reads the public API and /metrics, and signs adapter uploads itself.
/// </summary>
internal static class DashboardEndpoints
{
    private const string PageResource = "OpenLoRA.Server.wwwroot.index.html";
    private const string ScriptResource = "OpenLoRA.Server.wwwroot.dashboard.js";

    public static IEndpointRouteBuilder MapOpenLoRADashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", static (HttpContext context) => WriteAsync(context, PageResource, "text/html; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/dashboard.js", static (HttpContext context) => WriteAsync(context, ScriptResource, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context, string resource, string contentType)
    {
        await using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing.");
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
