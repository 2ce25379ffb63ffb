using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenLoRA.Billing;
using OpenLoRA.Billing.Storage;
using OpenLoRA.Chain;
using OpenLoRA.Engine.Storage;
using OpenLoRA.Server.Endpoints.Accounts;

namespace OpenLoRA.Server.Billing;

internal static class BillingHostingExtensions
{
    /// <summary>
    /// With <c>OpenLoRA:Billing:Enabled</c>: API keys on every inference call, reservations and charges in the shared
    /// SQLite database, crash recovery of open reservations on start, and, with the chain on, deposits read from the
    /// escrow and epochs settled on it.
    /// </summary>
    public static WebApplicationBuilder AddOpenLoRABilling(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(BillingServerOptions.SectionName);
        var services = builder.Services;
        services.AddOptions<BillingServerOptions>().Bind(section).ValidateOnStart();
        if (!section.GetValue<bool>(nameof(BillingServerOptions.Enabled)))
        {
            return builder;
        }

        services.AddSingleton<AccountEndpoints>();
        services.AddSingleton(sp => new BillingDatabase(sp.GetRequiredService<SqliteDatabase>().Open));
        services.AddBilling(section);
        services.AddSingleton<IInferenceBilling, LedgerBilling>();

        // Registered before the engine's and the chain's services start serving: open reservations are resolved first.
        services.AddHostedService<ReservationRecovery>();
        if (builder.Configuration.GetSection(ChainOptions.SectionName).GetValue<ChainMode>(nameof(ChainOptions.Mode)) != ChainMode.Off)
        {
            services.AddSingleton<DepositAudit>();
            services.AddHostedService<DepositWatcher>();
            if (builder.Configuration.GetSection(ChainOptions.SectionName).GetValue<ChainMode>(nameof(ChainOptions.Mode)) == ChainMode.Local
                && section.GetValue<bool>(nameof(BillingServerOptions.DevelopmentAccount)))
            {
                services.AddHostedService<DevelopmentAccount>();
            }

            if (section.GetValue<TimeSpan?>(nameof(BillingServerOptions.EpochInterval)) is not { } interval || interval > TimeSpan.Zero)
            {
                services.AddSingleton<EpochSettlementService>();
                services.AddHostedService(sp => sp.GetRequiredService<EpochSettlementService>());
            }
        }

        return builder;
    }
}
