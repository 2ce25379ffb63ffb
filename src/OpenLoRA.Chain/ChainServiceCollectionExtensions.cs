using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Chain;

public static class ChainServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ChainOptions"/> from "OpenLoRA:Chain" (validated on start) and registers
    /// <see cref="ChainConnection"/>. Resolving the connection with the chain off throws, so callers check
    /// <see cref="ChainOptions.Mode"/> first. With an outbox connection string (and the chain on) it also runs the
    /// <see cref="ProofSubmitter"/> as a hosted service.
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

        var section = configuration.GetSection(ChainOptions.SectionName);
        if (section.GetValue<ChainMode>(nameof(ChainOptions.Mode)) != ChainMode.Off
            && !string.IsNullOrWhiteSpace(section[nameof(ChainOptions.OutboxConnectionString)]))
        {
            services.TryAddSingleton(sp => CreateSubmitter(sp));
            services.AddHostedService(sp => sp.GetRequiredService<ProofSubmitter>());
        }

        return services;
    }

    private static ProofSubmitter CreateSubmitter(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ChainOptions>>().Value;
        var connection = services.GetRequiredService<ChainConnection>();
        return new ProofSubmitter(
            new ProofSubmitterOptions
            {
                RpcUrl = options.RpcUrl!,
                ChainId = options.EffectiveChainId,
                RegistryAddress = connection.Deployment.RegistryAddress,
                SubmitterPrivateKey = connection.Account.PrivateKey,
                ConnectionString = options.OutboxConnectionString!,
                Confirmations = options.Confirmations,
                ResendAfter = options.ResendAfter,
                PollInterval = options.PollInterval,
                MaxRetryDelay = options.MaxRetryDelay,
            },
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<ProofSubmitter>>());
    }
}
