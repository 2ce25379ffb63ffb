using System.Text.Json;
using System.Text.Json.Serialization;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.OpenApi;

/// <summary>
/// The OpenAPI document (Microsoft.AspNetCore.OpenApi, at <c>/openapi/v1.json</c>) and the reference page that renders
/// it (<c>/docs</c>, a static page embedded in the assembly: no CDN, nothing fetched at build or run time).
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string PageResource = "OpenLoRA.Server.wwwroot.docs.html";

    public static IServiceCollection AddOpenLoRAApiDocumentation(this IServiceCollection services)
    {
        // The schemas must show the wire format: the handlers serialize with ServerJsonContext (snake_case, numbers never
        // as strings), which the document generator only sees through the HTTP JSON options. No handler uses these options to write bodies.
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJsonContext.Default);
        });
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OpenLoRA";
            document.Info.Version = "v1";
            document.Info.Description =
                "OpenAI-compatible inference over thousands of LoRA adapters: name an adapter (or a base model) in `model`. "
                + "Errors use OpenAI's shape `{\"error\":{\"message\",\"type\",\"param\",\"code\"}}`.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapOpenLoRAApiDocumentation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal));
        endpoints.MapGet("/docs", static (HttpContext context) => WritePageAsync(context)).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task WritePageAsync(HttpContext context)
    {
        await using var page = typeof(ApiDocumentation).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"The embedded resource {PageResource} is missing.");
        context.Response.ContentType = "text/html; charset=utf-8";
        await page.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
