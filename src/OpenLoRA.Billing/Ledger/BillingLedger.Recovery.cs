using Microsoft.Data.Sqlite;

namespace OpenLoRA.Billing.Ledger;

public sealed partial class BillingLedger
{
    /// <summary>
    /// Crash recovery, run on start before serving: every reservation still open belongs to a request the previous
    /// process never finished, so each is handed to <paramref name="rule"/>, which looks up what was actually delivered
    /// (from the server's durable records, e.g. the stored trace and usage) and answers Delivered (charged by the
    /// reservation's stored quote, as <see cref="SettleDeliveredAsync"/>), Charge, or Release.
    /// <para>Nothing is charged twice: a request settled before the crash is no longer open, and settling is idempotent
    /// per request id, so a crash during recovery is repaired by running it again. Nothing delivered goes unpaid as long
    /// as the rule reports what reached the client. Assumes one server process owns the database: in a cluster, run it
    /// only for reservations of the replica that died.</para>
    /// </summary>
    public async Task<RecoverySummary> ResolveOpenReservationsAsync(
        Func<OpenReservation, CancellationToken, ValueTask<ReservationResolution>> rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        List<ReservationRow> open;
        await using (SqliteConnection connection = _database.Open())
        {
            open = await ReservationRows.LoadOpenAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        int settled = 0, released = 0;
        foreach (ReservationRow row in open)
        {
            ReservationResolution resolution = await rule(row.ToOpenReservation(), cancellationToken).ConfigureAwait(false);
            switch (resolution.Kind)
            {
                case ResolutionKind.Release:
                    if (await ReleaseAsync(row.RequestId, cancellationToken).ConfigureAwait(false))
                    {
                        released++;
                    }

                    break;
                case ResolutionKind.Delivered:
                    await SettleDeliveredAsync(row.RequestId, resolution.PromptTokens, resolution.CompletionTokens, resolution.TraceId,
                        resolution.Split!, quote: null, cancellationToken).ConfigureAwait(false);
                    settled++;
                    break;
                case ResolutionKind.Charge:
                    await SettleAsync(row.RequestId, resolution.Amount, resolution.TraceId, resolution.Split!, cancellationToken)
                        .ConfigureAwait(false);
                    settled++;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown resolution {resolution.Kind}.");
            }
        }

        return new RecoverySummary(settled, released);
    }
}
