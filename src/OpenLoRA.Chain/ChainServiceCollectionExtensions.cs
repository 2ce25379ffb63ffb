using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLoRA.Chain.Health;
using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Chain;

public static class ChainServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ChainOptions"/> from "OpenLoRA:Chain" (validated on start) and registers
    /// <see cref="ChainConnection"/> and <see cref="ChainHealth"/>. Resolving the connection with the chain off
    /// throws, so callers check <see cref="ChainOptions.Mode"/> first. With the chain on it also runs the
    /// <see cref="ProofSubmitter"/> as a hosted service, its outbox in <see cref="ChainOptions.OutboxConnectionString"/>
    /// or, when that is not set, in the database <paramref name="defaultOutboxConnectionString"/> names (the server
    /// passes its data directory's): remote mode used to commit nothing unless the undocumented key was set.
    /// </summary>
    public static IServiceCollection AddChain(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string>? defaultOutboxConnectionString = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ChainOptions>()
            .Bind(configuration.GetSection(ChainOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChainOptions>, ChainOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChainConnection>();
        services.TryAddSingleton<ChainHealth>();

        var section = configuration.GetSection(ChainOptions.SectionName);
        if (section.GetValue<ChainMode>(nameof(ChainOptions.Mode)) != ChainMode.Off)
        {
            services.TryAddSingleton(sp => CreateSubmitter(sp, defaultOutboxConnectionString));
            services.AddHostedService(sp => sp.GetRequiredService<ProofSubmitter>());
        }

        return services;
    }

    private static ProofSubmitter CreateSubmitter(IServiceProvider services, Func<IServiceProvider, string>? defaultOutboxConnectionString)
    {
        var options = services.GetRequiredService<IOptions<ChainOptions>>().Value;
        var connection = services.GetRequiredService<ChainConnection>();
        var outbox = !string.IsNullOrWhiteSpace(options.OutboxConnectionString)
            ? options.OutboxConnectionString
            : defaultOutboxConnectionString?.Invoke(services)
                ?? throw new InvalidOperationException($"The chain is on but no outbox database is set: set {ChainOptions.SectionName}:{nameof(ChainOptions.OutboxConnectionString)}.");
        return new ProofSubmitter(
            new ProofSubmitterOptions
            {
                RpcUrl = options.RpcUrl!,
                ChainId = options.EffectiveChainId,
                RegistryAddress = connection.Deployment.RegistryAddress,
                SubmitterPrivateKey = connection.Account.PrivateKey,
                ConnectionString = outbox,
                Confirmations = options.Confirmations,
                ResendAfter = options.ResendAfter,
                PollInterval = options.PollInterval,
                MaxRetryDelay = options.MaxRetryDelay,
            },
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<ProofSubmitter>>(),
            connection.Nonces,
            services.GetRequiredService<ChainHealth>());
    }
}
