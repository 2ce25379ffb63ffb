using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenLoRA.Chain;

public static class ChainServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ChainOptions"/> from "OpenLoRA:Chain" (validated on start) and registers
    /// <see cref="ChainConnection"/>. Resolving the connection with the chain off throws, so callers check
    /// <see cref="ChainOptions.Mode"/> first.
    /// </summary>
    public static IServiceCollection AddChain(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ChainOptions>()
            .Bind(configuration.GetSection(ChainOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChainOptions>, ChainOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChainConnection>();
        return services;
    }
}
