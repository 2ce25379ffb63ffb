using System.Numerics;
using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Pricing;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

public sealed partial class BillingLedger
{
    /// <summary>
    /// Replaces the request's reservation with its actual charge and, in the same transaction, writes the charge and
    /// the fee-split accruals. Idempotent: settling a settled request changes nothing and returns the first result
    /// (<see cref="ChargeResult.AlreadySettled"/>), whatever arguments the second call passes.
    /// <para>Cap rule: a charge above the reservation is cut to the reservation (<see cref="ChargeResult.Capped"/>). The
    /// reservation is what the account agreed to and what was held for it; the reservation is priced at max_tokens, so
    /// a larger charge means a caller bug or a price change mid-request, and the platform absorbs it rather than taking
    /// money that was never held (which could drive the balance negative).</para>
    /// </summary>
    /// <exception cref="ReservationNotFoundException">The request was never reserved.</exception>
    /// <exception cref="InvalidOperationException">The reservation was released.</exception>
    public Task<ChargeResult> SettleAsync(string requestId, BigInteger actualCharge, string? traceId, SplitRecipients split,
        CancellationToken cancellationToken = default) =>
        SettleAsync(requestId, actualCharge, traceId, split, companion: null, cancellationToken);

    /// <summary>
    /// As <see cref="SettleAsync(string, BigInteger, string?, SplitRecipients, CancellationToken)"/>, and writes
    /// <paramref name="companion"/>'s record (e.g. the trace named by <paramref name="traceId"/>) in the same
    /// transaction: both commit or neither does. A request found already settled does not call it.
    /// </summary>
    public Task<ChargeResult> SettleAsync(string requestId, BigInteger actualCharge, string? traceId, SplitRecipients split,
        IChargeCompanion? companion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actualCharge);
        return SettleCoreAsync(requestId, _ => actualCharge, traceId, split, companion, cancellationToken);
    }

    /// <summary>
    /// The rule for cancelled, failed or timed-out requests: charge only what was delivered, i.e. the prompt tokens
    /// plus the completion tokens that reached the client, priced normally by <paramref name="quote"/> (or, when null,
    /// by the quote stored with the reservation). Tokens generated but never sent are not charged. Otherwise as
    /// <see cref="SettleAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No quote given and none stored with the reservation.</exception>
    public Task<ChargeResult> SettleDeliveredAsync(string requestId, long promptTokens, long deliveredCompletionTokens,
        string? traceId, SplitRecipients split, PriceQuote? quote = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(deliveredCompletionTokens);
        return SettleCoreAsync(requestId, row =>
        {
            PriceQuote price = quote ?? row.Quote ?? throw new InvalidOperationException(
                $"Reservation '{requestId}' was made from a raw amount, so delivered tokens cannot be priced without a quote.");
            return price.Charge(promptTokens, deliveredCompletionTokens);
        }, traceId, split, companion: null, cancellationToken);
    }

    /// <summary>The settled charge of a request, or null when it is not settled.</summary>
    public async Task<ChargeResult?> GetChargeAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        return await LoadChargeAsync(connection, transaction, requestId, alreadySettled: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ChargeResult> SettleCoreAsync(string requestId, Func<ReservationRow, BigInteger> chargeOf, string? traceId,
        SplitRecipients split, IChargeCompanion? companion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(split);

        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        ReservationRow row = await ReservationRows.LoadAsync(connection, transaction, requestId, cancellationToken).ConfigureAwait(false)
                             ?? throw new ReservationNotFoundException(requestId);
        if (row.State == ReservationRow.Settled)
        {
            return await LoadChargeAsync(connection, transaction, requestId, alreadySettled: true, cancellationToken).ConfigureAwait(false)
                   ?? throw new InvalidOperationException($"Reservation '{requestId}' is settled but has no charge row.");
        }

        if (row.State != ReservationRow.Open)
        {
            throw new InvalidOperationException($"Reservation '{requestId}' was {row.State}; it cannot be charged.");
        }

        BigInteger requested = chargeOf(row);
        BigInteger charged = BigInteger.Min(requested, row.Amount);
        IReadOnlyList<PayeeShare> shares = _splitter.Split(charged, split);
        long now = NowMs;

        AccountTotals totals = await AccountRows.LoadAsync(connection, transaction, row.Address, cancellationToken).ConfigureAwait(false);
        totals.Reserved -= row.Amount;
        totals.Spent += charged;
        await AccountRows.SaveAsync(connection, transaction, totals, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction,
            "UPDATE billing_reservations SET state = @settled, resolved_at = @now WHERE request_id = @id",
            cancellationToken, ("@settled", ReservationRow.Settled), ("@now", now), ("@id", requestId)).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction,
            "INSERT INTO billing_charges (request_id, address, amount, requested, reserved, trace_id, created_at) " +
            "VALUES (@id, @address, @amount, @requested, @reserved, @trace, @now)",
            cancellationToken, ("@id", requestId), ("@address", row.Address), ("@amount", AmountText.Format(charged)),
            ("@requested", AmountText.Format(requested)), ("@reserved", AmountText.Format(row.Amount)), ("@trace", traceId),
            ("@now", now)).ConfigureAwait(false);
        foreach (PayeeShare share in shares)
        {
            await connection.ExecuteAsync(transaction,
                "INSERT INTO billing_accruals (request_id, payee, role, amount, created_at) VALUES (@id, @payee, @role, @amount, @now)",
                cancellationToken, ("@id", requestId), ("@payee", share.Address), ("@role", share.Role.ToString()),
                ("@amount", AmountText.Format(share.Amount)), ("@now", now)).ConfigureAwait(false);
            PayeeBalance payee = await PayeeRows.LoadAsync(connection, transaction, share.Address, cancellationToken).ConfigureAwait(false);
            await PayeeRows.SaveAsync(connection, transaction, payee with { Accrued = payee.Accrued + share.Amount }, cancellationToken)
                .ConfigureAwait(false);
        }

        // Last before the commit: whatever the companion writes (the trace) commits with the charge or not at all.
        companion?.Write(transaction, charged);
        transaction.Commit();
        return new ChargeResult(requestId, row.Address, row.Amount, requested, charged, traceId, shares, AlreadySettled: false);
    }

    private static async Task<ChargeResult?> LoadChargeAsync(SqliteConnection connection, SqliteTransaction transaction,
        string requestId, bool alreadySettled, CancellationToken cancellationToken)
    {
        List<(string Address, string Amount, string Requested, string Reserved, string? TraceId)> rows = await connection.QueryAsync(
            transaction,
            "SELECT address, amount, requested, reserved, trace_id FROM billing_charges WHERE request_id = @id",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetNullableString(4)),
            cancellationToken, ("@id", requestId)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        List<PayeeShare> shares = await connection.QueryAsync(transaction,
            "SELECT payee, role, amount FROM billing_accruals WHERE request_id = @id",
            r => new PayeeShare(r.GetString(0), Enum.Parse<PayeeRole>(r.GetString(1)), AmountText.Parse(r.GetString(2))),
            cancellationToken, ("@id", requestId)).ConfigureAwait(false);

        // Same order as FeeSplitter returns: publisher, contributors by address, protocol.
        shares.Sort((a, b) => a.Role != b.Role ? a.Role.CompareTo(b.Role) : string.CompareOrdinal(a.Address, b.Address));
        var c = rows[0];
        return new ChargeResult(requestId, c.Address, AmountText.Parse(c.Reserved), AmountText.Parse(c.Requested),
            AmountText.Parse(c.Amount), c.TraceId, shares, alreadySettled);
    }
}
