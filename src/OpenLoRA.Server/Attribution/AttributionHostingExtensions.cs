using OpenLoRA.Attribution;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Server.Hosting;

namespace OpenLoRA.Server.Attribution;

internal static class AttributionHostingExtensions
{
    /// <summary>
    /// Attribution for the real server: every adapter response is traced, attributed over its adapter's Datanet,
    /// signed, stored, and sealed into Merkle batches. Needs the engine's <c>SqliteDatabase</c>.
    /// </summary>
    public static WebApplicationBuilder AddOpenLoRAAttribution(this WebApplicationBuilder builder)
    {
        SecretSettings.EnsureNotInFiles(builder.Configuration);
        var section = builder.Configuration.GetSection(AttributionServerOptions.SectionName);
        var services = builder.Services;
        services.AddAttribution(section);
        services.AddOptions<AttributionServerOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TraceSignerFactory.Create);
        services.AddSingleton<TraceStore>();
        services.AddSingleton<DatanetStore>();
        services.AddSingleton<TraceBuilder>();
        services.AddSingleton<IResponseTracer, ResponseTracer>();
        services.AddSingleton<BatchSealer>();
        services.AddSingleton<Endpoints.Attribution.TraceEndpoints>();
        services.AddSingleton<Endpoints.Attribution.DatanetUploadEndpoint>();

        services.AddHostedService(sp => sp.GetRequiredService<BatchSealer>());
        return builder;
    }
}
