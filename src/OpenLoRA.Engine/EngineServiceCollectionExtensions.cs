using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.Engine.Adapters.Registry;
using OpenLoRA.Engine.Storage;
using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelCatalog"/>, <see cref="IInferenceService"/> and the hosted service that loads the
    /// base models (section <c>OpenLoRA:Engine</c>, validated on start).
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
        services.AddSingleton(sp => new SqliteDatabase(Path.Combine(DataDirectory(sp), "openlora.db")));
        services.AddSingleton<AdapterRegistry>();
        services.AddSingleton(sp => new AdapterPublisher(
            sp.GetRequiredService<ModelCatalog>(),
            sp.GetRequiredService<AdapterRegistry>(),
            Path.Combine(DataDirectory(sp), "adapters"),
            sp.GetRequiredService<IOptions<EngineOptions>>().Value.MaxAdapterBytes,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<AdapterPublisher>()));
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
