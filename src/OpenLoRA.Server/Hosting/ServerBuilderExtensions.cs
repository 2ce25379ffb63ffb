using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Status;
using OpenLoRA.Server.Attribution;
using OpenLoRA.Server.Auth;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Endpoints.Adapters;
using OpenLoRA.Server.Endpoints.Health;
using OpenLoRA.Server.Endpoints.OpenAI;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Metrics;
using OpenLoRA.Server.OpenApi;

namespace OpenLoRA.Server.Hosting;

internal static class ServerBuilderExtensions
{
    /// <summary>
    /// The socket transport's user-space write buffer, in bytes: at 2 (pause at 2, resume below 1) a flush completes
    /// only once the socket has taken every byte written, instead of once 64 KiB could be buffered in the process.
    /// So a chunk counts as delivered, and is charged, only after it left the process: a crash right after a charge
    /// cannot lose content the client is billed for (the kernel still sends what its socket buffer holds). Bursts are
    /// absorbed by the kernel's socket buffer, as before.
    /// </summary>
    private const long TransportWriteBufferBytes = 2;

    /// <summary>
    /// Registers the HTTP layer (options, Kestrel limits, endpoint handlers). The engine is registered separately so
    /// tests can host the same HTTP layer over a fake engine.
    /// </summary>
    public static WebApplicationBuilder AddOpenLoRAServer(this WebApplicationBuilder builder)
    {
        AddDefaultsBesideBinary(builder.Configuration, builder.Environment.ContentRootPath);

        var services = builder.Services;
        services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration.GetSection(ServerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>>((kestrel, server) => kestrel.Limits.MaxRequestBodySize = server.Value.MaxRequestBodyBytes);
        services.Configure<SocketTransportOptions>(sockets => sockets.MaxWriteBufferSize = TransportWriteBufferBytes);
        services.AddOptions<HostOptions>()
            .Configure<IOptions<ServerOptions>>((host, server) =>
                host.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.ShutdownGraceSeconds + ServerOptions.ShutdownMarginSeconds));
        services.AddSingleton<ShutdownDrain>();

        services.AddOptions<MetricsOptions>()
            .Bind(builder.Configuration.GetSection(MetricsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);

        // The engine's status is process-wide (one per served model); a host over a fake engine sees no models.
        services.TryAddSingleton(EngineStatus.Process);
        services.AddSingleton<VllmMetrics>();
        services.AddOpenLoRAApiDocumentation();
        services.AddSingleton<ModelReadiness>();
        services.AddSingleton<RequestMetricsMiddleware>();
        services.AddSingleton<ErrorHandlingMiddleware>();
        services.AddSingleton<RequestValidator>();
        services.AddSingleton<AdapterPriceGuard>();
        services.AddSingleton<ModelResolver>();
        services.TryAddSingleton<IResponseTracer, DisabledResponseTracer>();
        services.TryAddSingleton<IInferenceBilling, DisabledBilling>();
        services.AddSingleton<ResponseSettlement>();
        services.AddSingleton<GenerationRunner>();
        services.AddSingleton<GenerationServices>();
        services.AddSingleton<ChatCompletionsEndpoint>();
        services.AddSingleton<CompletionsEndpoint>();
        services.AddSingleton<ModelsEndpoint>();
        services.AddSingleton<PublisherSignatureVerifier>();
        services.AddMemoryCache(options => options.SizeLimit = 64);
        services.AddSingleton<PeftUploadConverter>();
        services.AddSingleton<AdapterUploadEndpoint>();
        services.AddSingleton<AdapterListEndpoint>();
        services.AddSingleton<AdapterDeleteEndpoint>();
        return builder;
    }

    /// <summary>
    /// Adds the appsettings.json copied beside the dll as the lowest-priority source: the content root is the current
    /// directory (so `dotnet run` from the repository root finds the root file), and this keeps the built server
    /// startable from any directory. The content root's own file, environment and command line still override it.
    /// </summary>
    private static void AddDefaultsBesideBinary(ConfigurationManager configuration, string contentRoot)
    {
        var besideBinary = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var inContentRoot = Path.Combine(contentRoot, "appsettings.json");
        if (!File.Exists(besideBinary) || string.Equals(Path.GetFullPath(besideBinary), Path.GetFullPath(inContentRoot), StringComparison.Ordinal))
        {
            return;
        }

        var source = new JsonConfigurationSource
        {
            Path = besideBinary,
            Optional = true,
            ReloadOnChange = false,
        };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
    }
}
