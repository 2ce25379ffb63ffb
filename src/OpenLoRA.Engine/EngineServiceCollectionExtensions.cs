using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelCatalog"/>, <see cref="IInferenceService"/>, <see cref="IAdapterPublisher"/>, the
    /// shared <see cref="SqliteDatabase"/> (<c>&lt;DataDirectory&gt;/openlora.db</c>) and the hosted service that loads
    /// the base models and the registered adapters (section <c>OpenLoRA:Engine</c>, validated on start).
    /// </summary>
    public static IServiceCollection AddOpenLoRAEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>()
            .Bind(configuration.GetSection(EngineOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.BaseModels.All(m => m.Name.Length > 0 && m.Path.Length > 0), "Every base model needs a Name and a Path.")
            .Validate(o => o.BaseModels.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() == o.BaseModels.Count, "Base model names must be unique.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<IModelCatalog>(sp => sp.GetRequiredService<ModelCatalog>());
        services.AddSingleton(sp => SqliteDatabase.InDataDirectory(DataDirectory(sp)));
        services.AddSingleton<AdapterRegistry>();
        services.AddSingleton(sp => new AdapterStore(
            Path.Combine(DataDirectory(sp), "adapters"), sp.GetRequiredService<ILoggerFactory>().CreateLogger<AdapterStore>()));
        services.AddSingleton<IAdapterProbe, AdapterProbe>();
        services.AddSingleton<AdapterPublisher>();
        services.AddSingleton<IAdapterPublisher>(sp => sp.GetRequiredService<AdapterPublisher>());
        services.AddSingleton<InferenceService>();
        services.AddSingleton<IInferenceService>(sp => sp.GetRequiredService<InferenceService>());
        services.AddHostedService<EngineHost>();
        return services;
    }

    private static string DataDirectory(IServiceProvider services) => Path.GetFullPath(
        services.GetRequiredService<IOptions<EngineOptions>>().Value.DataDirectory,
        services.GetRequiredService<IHostEnvironment>().ContentRootPath);
}
