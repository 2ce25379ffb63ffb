using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenLoRA.Server.Hosting;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Chain;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Credits accounts with their InferenceEscrow deposits: reads Deposited events up to the block that has the
/// configured confirmations, and records each once (keyed by transaction and log index, so re-reading is harmless).
/// While the chain is unreachable it retries at its interval; balances simply lag. Before it credits anything it
/// runs the <see cref="DepositAudit"/> once: deposits the ledger credited that the chain no longer holds are reported
/// and their accounts refused, not served from.
/// </summary>
internal sealed class DepositWatcher(
    ChainConnection chain, BillingLedger ledger, DepositAudit audit, IOptions<ChainOptions> chainOptions, IOptions<BillingServerOptions> options,
    TimeProvider time, ILogger<DepositWatcher> logger) : BackgroundService
{
    private ulong _next;
    private bool _audited;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DepositPollInterval, time);
        do
        {
            if (!_audited)
            {
                try
                {
                    await audit.RunAsync(stoppingToken);
                    _audited = true;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    DepositLog.AuditFailed(logger, ex, options.Value.DepositPollInterval);
                    continue;
                }
            }

            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                DepositLog.PollFailed(logger, ex, options.Value.DepositPollInterval);
            }
        }
        while (await timer.NextTickAsync(stoppingToken));
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var latest = (ulong)(await chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var depth = (ulong)Math.Max(0, chainOptions.Value.Confirmations - 1);
        if (latest < depth)
        {
            return;
        }

        var final = latest - depth;
        var from = Math.Max(_next, chain.Deployment.DeployBlock);
        if (from > final)
        {
            return;
        }

        foreach (var deposit in await chain.Escrow.GetDepositedEventsAsync(from, final))
        {
            if (await ledger.RecordDepositAsync(deposit.Account, deposit.Amount, deposit.TransactionHash, (long)deposit.LogIndex, (long)deposit.BlockNumber, cancellationToken))
            {
                BillingMetrics.Deposits.Inc();
                logger.LogInformation("Deposit of {Amount} OPEN by {Account} (tx {Tx})", OpenAmount.Format(deposit.Amount), deposit.Account, deposit.TransactionHash);
            }
        }

        _next = final + 1;
    }
}
