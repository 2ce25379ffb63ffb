using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenLoRA.Server.Hosting;
using OpenLoRA.Billing.Epochs;
using OpenLoRA.Chain;
using OpenLoRA.Chain.Clients;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Every <c>EpochInterval</c>: closes the ledger's next epoch (debits per account, credits per payee, a payout
/// manifest and its keccak256) and settles it on InferenceEscrow in one transaction, then marks it settled. An epoch
/// closed but not settled (a crash, the chain down) is settled first on the next pass; one the escrow already holds
/// (its nextEpoch is past it) is only marked.
/// </summary>
internal sealed class EpochSettlementService(
    ChainConnection chain, EpochSettler settler, IOptions<BillingServerOptions> options, TimeProvider time, ILogger<EpochSettlementService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EpochInterval, time);
        while (await timer.NextTickAsync(stoppingToken))
        {
            try
            {
                await SettleAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Epoch settlement failed; retrying at the next interval");
            }
        }
    }

    /// <summary>Settles every closed-but-unsettled epoch, then closes and settles a new one if anything was charged.</summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await chain.Escrow.NextEpochAsync();
            var pending = await settler.GetEpochAsync((long)next, cancellationToken);
            if (pending is null)
            {
                pending = await settler.CloseEpochAsync(cancellationToken);
                if (pending is null)
                {
                    return;
                }
            }

            if (pending.SettledTxHash is not null)
            {
                return;
            }

            if ((ulong)pending.Epoch < next)
            {
                throw new InvalidOperationException($"Ledger epoch {pending.Epoch} is behind the escrow's next epoch {next}.");
            }

            var settlement = new OpenLoRA.Chain.Clients.EpochSettlement(
                (ulong)pending.Epoch,
                pending.Debits.Select(d => new AccountAmount(d.Address, d.Amount)).ToList(),
                pending.Credits.Select(c => new AccountAmount(c.Address, c.Amount)).ToList(),
                Convert.FromHexString(pending.ManifestHash.AsSpan(2)));
            var transaction = await chain.Escrow.SettleEpochAsync(settlement, cancellationToken);
            await settler.MarkEpochSettledAsync(pending.Epoch, transaction.TransactionHash, cancellationToken);
            BillingMetrics.EpochsSettled.Inc();
            logger.LogInformation("Epoch {Epoch} settled on-chain: {Total} OPEN in tx {Tx}", pending.Epoch, OpenAmount.Format(pending.Total), transaction.TransactionHash);
        }
    }
}
