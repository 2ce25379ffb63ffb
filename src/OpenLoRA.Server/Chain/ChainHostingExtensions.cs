using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenLoRA.Chain;
using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Server.Chain;

internal static class ChainHostingExtensions
{
    /// <summary>
    /// The chain: with <c>OpenLoRA:Chain:Mode</c> <c>local</c> or <c>remote</c> and an outbox, sealed attribution
    /// batches are committed on-chain by the proof submitter and traces and batches report their transaction.
    /// Call after the local chain (if any) has set its configuration.
    /// </summary>
    public static WebApplicationBuilder AddOpenLoRAChain(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddChain(builder.Configuration);
        var section = builder.Configuration.GetSection(ChainOptions.SectionName);
        var submitting = section.GetValue<ChainMode>(nameof(ChainOptions.Mode)) != ChainMode.Off
            && !string.IsNullOrWhiteSpace(section[nameof(ChainOptions.OutboxConnectionString)]);
        if (submitting)
        {
            services.AddSingleton<IBatchCommitLookup>(sp => new SubmitterCommitLookup(sp.GetRequiredService<ProofSubmitter>()));
            services.AddHostedService<BatchCommitBridge>();
        }
        else
        {
            services.TryAddSingleton<IBatchCommitLookup, NoChainCommitLookup>();
        }

        return builder;
    }
}
