using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenLoRA.Server.Hosting;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Chain;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Credits accounts with their InferenceEscrow deposits: reads Deposited events up to the block that has the
/// configured confirmations, and records each once (keyed by transaction and log index, so re-reading is harmless).
/// While the chain is unreachable it retries at its interval; balances simply lag.
/// </summary>
internal sealed class DepositWatcher(
    ChainConnection chain, BillingLedger ledger, IOptions<ChainOptions> chainOptions, IOptions<BillingServerOptions> options,
    TimeProvider time, ILogger<DepositWatcher> logger) : BackgroundService
{
    private ulong _next;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DepositPollInterval, time);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Reading escrow deposits failed; retrying in {Interval}", options.Value.DepositPollInterval);
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
