using System.Numerics;
using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Pricing;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

public sealed partial class BillingLedger
{
    /// <summary>Holds <paramref name="amount"/> of the account's available balance for <paramref name="requestId"/>.
    /// A retry with the same id, account and amount returns the existing open reservation.</summary>
    /// <exception cref="InsufficientBalanceException">Available balance &lt; amount; nothing was reserved.</exception>
    public Task<Reservation> ReserveAsync(string address, string requestId, BigInteger amount,
        CancellationToken cancellationToken = default) =>
        ReserveCoreAsync(address, requestId, amount, null, null, null, cancellationToken);

    /// <summary>Reserves <see cref="PriceQuote.Reservation"/> for the request and stores the quote with it, so crash
    /// recovery can price the tokens that were delivered.</summary>
    /// <exception cref="InsufficientBalanceException">Available balance &lt; the reservation; nothing was reserved.</exception>
    public Task<Reservation> ReserveAsync(string address, string requestId, PriceQuote quote, long promptTokens, long maxTokens,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return ReserveCoreAsync(address, requestId, quote.Reservation(promptTokens, maxTokens), quote, promptTokens, maxTokens,
            cancellationToken);
    }

    /// <summary>Gives a reservation back untouched (the request produced nothing). False when there is no open
    /// reservation for the id: unknown, already released, or settled (a charge is never undone).</summary>
    public async Task<bool> ReleaseAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        ReservationRow? row = await ReservationRows.LoadAsync(connection, transaction, requestId, cancellationToken).ConfigureAwait(false);
        if (row is null || row.State != ReservationRow.Open)
        {
            return false;
        }

        AccountTotals totals = await AccountRows.LoadAsync(connection, transaction, row.Address, cancellationToken).ConfigureAwait(false);
        totals.Reserved -= row.Amount;
        await AccountRows.SaveAsync(connection, transaction, totals, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction,
            "UPDATE billing_reservations SET state = @released, resolved_at = @now WHERE request_id = @id",
            cancellationToken, ("@released", ReservationRow.Released), ("@now", NowMs), ("@id", requestId)).ConfigureAwait(false);
        transaction.Commit();
        return true;
    }

    private async Task<Reservation> ReserveCoreAsync(string address, string requestId, BigInteger amount, PriceQuote? quote,
        long? promptTokens, long? maxTokens, CancellationToken cancellationToken)
    {
        string normalized = EthAddress.Normalize(address);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);

        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        ReservationRow? existing = await ReservationRows.LoadAsync(connection, transaction, requestId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.State == ReservationRow.Open && existing.Address == normalized && existing.Amount == amount)
            {
                return new Reservation(existing.RequestId, existing.Address, existing.Amount, existing.CreatedAt);
            }

            throw new InvalidOperationException($"Request id '{requestId}' already has a reservation ({existing.State}).");
        }

        // The balance check and the write happen under the one write lock taken at BEGIN IMMEDIATE, so two concurrent
        // reservations can never both see the same available balance.
        AccountTotals totals = await AccountRows.LoadAsync(connection, transaction, normalized, cancellationToken).ConfigureAwait(false);
        if (totals.Available < amount)
        {
            throw new InsufficientBalanceException(normalized, amount, totals.Available);
        }

        long now = NowMs;
        await AccountRows.EnsureAsync(connection, transaction, normalized, now, cancellationToken).ConfigureAwait(false);
        totals.Reserved += amount;
        await AccountRows.SaveAsync(connection, transaction, totals, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction,
            "INSERT INTO billing_reservations (request_id, address, amount, state, prompt_tokens, max_tokens, quote_adapter_input, " +
            "quote_adapter_output, quote_base_input, quote_base_output, quote_platform_fee_bps, created_at) " +
            "VALUES (@id, @address, @amount, @open, @prompt, @max, @ai, @ao, @bi, @bo, @fee, @now)",
            cancellationToken,
            ("@id", requestId), ("@address", normalized), ("@amount", AmountText.Format(amount)), ("@open", ReservationRow.Open),
            ("@prompt", promptTokens), ("@max", maxTokens),
            ("@ai", quote is null ? null : AmountText.Format(quote.AdapterInputPer1K)),
            ("@ao", quote is null ? null : AmountText.Format(quote.AdapterOutputPer1K)),
            ("@bi", quote is null ? null : AmountText.Format(quote.BaseInputPer1K)),
            ("@bo", quote is null ? null : AmountText.Format(quote.BaseOutputPer1K)),
            ("@fee", quote is null ? null : (long?)quote.PlatformFeeBps),
            ("@now", now)).ConfigureAwait(false);
        transaction.Commit();
        return new Reservation(requestId, normalized, amount, DateTimeOffset.FromUnixTimeMilliseconds(now));
    }
}
