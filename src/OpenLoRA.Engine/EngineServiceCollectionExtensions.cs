using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenLoRA.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>Registers IModelCatalog, IInferenceService and the hosted service that loads base models at start.</summary>
    public static IServiceCollection AddOpenLoRAEngine(this IServiceCollection services, IConfiguration configuration)
    {
        throw new NotImplementedException("engine registration is being written");
    }
}
