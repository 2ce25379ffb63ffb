using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenLoRA.Chain;
using OpenLoRA.Chain.Submission;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Server.Chain;

internal static class ChainHostingExtensions
{
    /// <summary>
    /// The chain: with <c>OpenLoRA:Chain:Mode</c> <c>local</c> or <c>remote</c>, sealed attribution batches are
    /// committed on-chain by the proof submitter (its outbox in the data directory's database unless
    /// <c>OutboxConnectionString</c> says otherwise) and traces and batches report their transaction.
    /// Call after the local chain (if any) has set its configuration.
    /// </summary>
    public static WebApplicationBuilder AddOpenLoRAChain(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddChain(builder.Configuration, static sp => new SqliteConnectionStringBuilder
        {
            DataSource = sp.GetRequiredService<SqliteDatabase>().Path,
            DefaultTimeout = 30,
        }.ToString());
        var section = builder.Configuration.GetSection(ChainOptions.SectionName);
        if (section.GetValue<ChainMode>(nameof(ChainOptions.Mode)) != ChainMode.Off)
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
