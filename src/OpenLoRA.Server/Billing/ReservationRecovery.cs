using Microsoft.Extensions.Hosting;
using OpenLoRA.Billing.Ledger;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// On start, before requests are served, resolves the reservations a crash left open. Every response that completed
/// had its charge written before its final chunk, so an open reservation belongs to a response that never completed;
/// how many of its tokens reached the client cannot be proven after a crash, so it is released, never charged.
/// Settling is keyed by request id, so running this twice charges nothing twice.
/// </summary>
internal sealed class ReservationRecovery(BillingLedger ledger, ILogger<ReservationRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var summary = await ledger.ResolveOpenReservationsAsync(
            (_, _) => ValueTask.FromResult(ReservationResolution.Release()), cancellationToken);
        logger.LogInformation("Resolved open reservations left by the previous run: {Summary}", summary);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
