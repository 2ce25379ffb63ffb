using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenLoRA.Server.Hosting;
using OpenLoRA.Billing.Epochs;
using OpenLoRA.Chain;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Health;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Every <c>EpochInterval</c>: closes the ledger's next epoch (debits per account, credits per payee, a payout
/// manifest and its keccak256) and settles it on InferenceEscrow in one transaction, then marks it settled. An epoch
/// closed but not settled (a crash, the chain down) is settled first on the next pass; one the escrow already holds
/// (its nextEpoch is past it) is only marked. Each pass reconciles with the chain first: an epoch the ledger holds as
/// settled at or past the escrow's nextEpoch was lost by the chain (a rollback or reset; this used to stop settlement
/// silently for good), so it is reopened and settled again, with an error log, a counted contradiction and a degraded
/// /health detail. The settleEpoch transaction is signed through the submitter key's <see cref="NonceOwner"/>.
/// </summary>
internal sealed class EpochSettlementService(
    ChainConnection chain, EpochSettler settler, ChainHealth health, IOptions<BillingServerOptions> options, TimeProvider time,
    ILogger<EpochSettlementService> logger)
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
            catch (ContractRevertException ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Not transient: the escrow refuses what the ledger asks (e.g. a deposit the chain lost).
                if (health.Report(ChainComponents.Settlement, "rejected",
                    $"The escrow refused the next epoch's settlement ({ex.Message}); retrying every {options.Value.EpochInterval}."))
                {
                    SettlementLog.Rejected(logger, ex, ex.Message);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                SettlementLog.Failed(logger, ex, options.Value.EpochInterval);
            }
        }
    }

    /// <summary>Settles every closed-but-unsettled epoch, then closes and settles a new one if anything was charged.</summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        var code = await chain.Web3.Eth.GetCode.SendRequestAsync(chain.Escrow.Address);
        if (code is not { Length: > 2 })
        {
            // A settleEpoch to an empty account would "succeed" and be marked settled: a reset chain before the
            // contracts are deployed again, or a wrong address.
            if (health.Report(ChainComponents.Settlement, "no_contract",
                $"The escrow {chain.Escrow.Address} has no code on the chain (a reset or a wrong address); nothing is settled until it is there."))
            {
                SettlementLog.NoEscrowCode(logger, chain.Escrow.Address);
            }

            return;
        }

        var contradicted = false;
        while (true)
        {
            var next = await chain.Escrow.NextEpochAsync();
            var pending = await settler.GetEpochAsync((long)next, cancellationToken);
            if (pending?.SettledTxHash is not null)
            {
                await ReopenLostAsync((long)next, cancellationToken);
                contradicted = true;
                continue;
            }

            if (pending is null)
            {
                pending = await settler.CloseEpochAsync(cancellationToken);
                if (pending is null)
                {
                    if (!contradicted)
                    {
                        health.Clear(ChainComponents.Settlement);
                    }

                    return;
                }
            }

            if ((ulong)pending.Epoch < next)
            {
                if (health.Report(ChainComponents.Settlement, "behind",
                    $"The ledger's next epoch {pending.Epoch} is behind the escrow's next epoch {next}: the chain holds settlements this ledger does not know. Nothing is settled until a person reconciles them."))
                {
                    SettlementLog.LedgerBehind(logger, pending.Epoch, next);
                }

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
            SettlementLog.Settled(logger, pending.Epoch, OpenAmount.Format(pending.Total), transaction.TransactionHash);
        }
    }

    /// <summary>Reopens <paramref name="from"/> and every later epoch the ledger holds as settled: the chain has none of them.</summary>
    private async Task ReopenLostAsync(long from, CancellationToken cancellationToken)
    {
        var lost = new List<OpenLoRA.Billing.Epochs.EpochSettlement>();
        for (var epoch = from; await settler.GetEpochAsync(epoch, cancellationToken) is { SettledTxHash: not null } settled; epoch++)
        {
            lost.Add(settled);
        }

        chain.Nonces.Invalidate();
        foreach (var epoch in Enumerable.Reverse(lost))
        {
            await settler.ReopenSettledEpochAsync(epoch.Epoch, epoch.SettledTxHash!, cancellationToken);
        }

        var last = lost[^1].Epoch;
        SettlementLog.ChainLostEpochs(logger, from, last);
        health.Report(ChainComponents.Settlement, "lost",
            $"The escrow's nextEpoch is {from} but the ledger had epochs up to {last} settled (a reset or rollback); they are reopened and settled again.");
    }
}
