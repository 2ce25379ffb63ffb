using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Epochs;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Pricing;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing;

public static class BillingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BillingOptions"/> (bound from <paramref name="configuration"/> when given, validated on
    /// start), <see cref="AccountService"/>, <see cref="BillingLedger"/>, <see cref="EpochSettler"/>,
    /// <see cref="PriceCatalog"/> and a hosted service that creates the billing tables on start.
    /// <para>Storage: register a <see cref="BillingDatabase"/> over the server's shared database (before or after this
    /// call) and billing uses it; otherwise one is opened from <see cref="BillingOptions.ConnectionString"/>.</para>
    /// </summary>
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration? configuration = null,
        Action<BillingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<BillingOptions> options = services.AddOptions<BillingOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            string? connectionString = sp.GetRequiredService<IOptions<BillingOptions>>().Value.ConnectionString;
            if (string.IsNullOrEmpty(connectionString))
            {
                throw new InvalidOperationException(
                    "Billing has no database: register a BillingDatabase over the server's database or set Billing:ConnectionString.");
            }

            return BillingDatabase.FromConnectionString(connectionString);
        });
        services.TryAddSingleton(sp => new FeeSplitter(FeeSplitPolicy.From(sp.GetRequiredService<IOptions<BillingOptions>>().Value)));
        services.TryAddSingleton<PriceCatalog>();
        services.TryAddSingleton<AccountService>();
        services.TryAddSingleton<BillingLedger>();
        services.TryAddSingleton<EpochSettler>();
        services.AddHostedService<BillingSchemaInitializer>();
        return services;
    }
}
