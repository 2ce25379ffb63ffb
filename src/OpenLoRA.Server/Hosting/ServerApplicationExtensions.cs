using Microsoft.Extensions.Options;
using OpenLoRA.Server.Endpoints.Adapters;
using OpenLoRA.Server.Endpoints.Chain;
using OpenLoRA.Server.Endpoints.Health;
using OpenLoRA.Server.Endpoints.OpenAI;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Metrics;
using OpenLoRA.Server.OpenApi;

namespace OpenLoRA.Server.Hosting;

internal static class ServerApplicationExtensions
{
    /// <summary>The middleware pipeline and every endpoint of the server.</summary>
    public static WebApplication UseOpenLoRAServer(this WebApplication app)
    {
        // Outermost, so the counted status is the one the client finally got (errors and status pages included).
        AdapterMetrics.Configure(app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value);
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();

        // Unknown routes (404) and wrong methods (405) leave an empty body; give them the OpenAI error shape too.
        app.UseStatusCodePages(StatusCodeErrors.WriteAsync);
        app.UseRouting();

        app.MapHealthEndpoint();
        app.MapOpenAIEndpoints();
        app.MapAdapterEndpoints();
        app.MapChainEndpoint();
        app.MapOpenLoRAMetrics();
        app.MapOpenLoRAApiDocumentation();
        return app;
    }
}
