using System.Collections.Frozen;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Dashboard;

/// <summary>
/// The dashboard at <c>/</c> and its files at <c>/dashboard/{file}</c>: static HTML, CSS and scripts embedded in the
/// assembly (no CDN, nothing fetched at build or run time, so it works whatever the content root is). The page reads
/// the public API and /metrics, and signs adapter uploads itself; the server only hands out the files.
/// </summary>
internal static class DashboardEndpoints
{
    private const string ResourcePrefix = "OpenLoRA.Server.wwwroot.dashboard.";
    private const string PageFile = "index.html";

    // Built once from the manifest: only files embedded under wwwroot/dashboard are servable, so a path can never
    // reach another resource.
    private static readonly FrozenDictionary<string, string> Files = typeof(DashboardEndpoints).Assembly
        .GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .ToFrozenDictionary(name => name[ResourcePrefix.Length..], name => name, StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapOpenLoRADashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", static (HttpContext context) => WriteAsync(context, PageFile)).ExcludeFromDescription();
        endpoints.MapGet("/dashboard", static (HttpContext context) => WriteAsync(context, PageFile)).ExcludeFromDescription();
        endpoints.MapGet("/dashboard/{file}", static (HttpContext context, string file) => WriteAsync(context, file)).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context, string file)
    {
        if (!Files.TryGetValue(file, out var resource))
        {
            throw ApiException.NotFound($"The dashboard has no file '{file}'.", null, "unknown_url");
        }

        await using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing.");
        context.Response.ContentType = ContentType(file);
        // no-cache, not no-store: the browser revalidates, so a new server build is picked up on the next load.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
