using System.Globalization;
using System.Numerics;
using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Epochs;

/// <summary>
/// Groups charges into epochs for on-chain settlement. Closing an epoch takes every charge (and its accruals) not yet in
/// an epoch; because a charge and its accruals are written in one transaction and closing is one IMMEDIATE
/// transaction, an epoch always holds whole charges and its debits equal its credits. Epochs are numbered from 0, as
/// the escrow's <c>nextEpoch()</c>. Marking an epoch settled (after its settleEpoch transaction is mined) moves its
/// amounts from spent to settled debits on accounts and from accrued to settled on payees.
/// </summary>
public sealed class EpochSettler
{
    private readonly BillingDatabase _database;
    private readonly TimeProvider _time;

    public EpochSettler(BillingDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Closes the next epoch over all charges since the last one; null when there are none (nothing to settle).</summary>
    /// <exception cref="InvalidOperationException">Debits and credits differ (a broken ledger; nothing is closed).</exception>
    public async Task<EpochSettlement?> CloseEpochAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        EpochContent content = await LoadContentAsync(connection, transaction, null, cancellationToken).ConfigureAwait(false);
        if (content.ChargeCount == 0)
        {
            return null;
        }

        object? last = await connection.ScalarAsync(transaction, "SELECT MAX(epoch) FROM billing_epochs", cancellationToken)
            .ConfigureAwait(false);
        long epoch = last is null ? 0 : Convert.ToInt64(last, CultureInfo.InvariantCulture) + 1;
        BigInteger total = EpochManifest.Sum(content.Debits);
        BigInteger credits = EpochManifest.Sum(content.Credits);
        if (total != credits)
        {
            throw new InvalidOperationException($"Epoch {epoch} does not balance: debits {total}, credits {credits}.");
        }

        string manifest = EpochManifest.Build(epoch, content.Debits, content.Credits, content.TraceIds);
        string hash = EpochManifest.Hash(manifest);
        DateTimeOffset now = _time.GetUtcNow();
        await connection.ExecuteAsync(transaction, "UPDATE billing_charges SET epoch = @epoch WHERE epoch IS NULL",
            cancellationToken, ("@epoch", epoch)).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction, "UPDATE billing_accruals SET epoch = @epoch WHERE epoch IS NULL",
            cancellationToken, ("@epoch", epoch)).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction,
            "INSERT INTO billing_epochs (epoch, closed_at, total, manifest, manifest_hash) VALUES (@epoch, @now, @total, @manifest, @hash)",
            cancellationToken, ("@epoch", epoch), ("@now", now.ToUnixTimeMilliseconds()), ("@total", AmountText.Format(total)),
            ("@manifest", manifest), ("@hash", hash)).ConfigureAwait(false);
        transaction.Commit();
        return new EpochSettlement(epoch, content.Debits, content.Credits, content.TraceIds, total, manifest, hash, now, null);
    }

    /// <summary>A closed epoch as it was closed (rebuilt from its rows, so the manifest can be re-sent after a crash),
    /// or null when no such epoch was closed.</summary>
    public async Task<EpochSettlement?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        List<(long ClosedAt, string Total, string Manifest, string Hash, string? Tx)> rows = await connection.QueryAsync(transaction,
            "SELECT closed_at, total, manifest, manifest_hash, settled_tx_hash FROM billing_epochs WHERE epoch = @epoch",
            r => (r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetNullableString(4)),
            cancellationToken, ("@epoch", epoch)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        EpochContent content = await LoadContentAsync(connection, transaction, epoch, cancellationToken).ConfigureAwait(false);
        var row = rows[0];
        return new EpochSettlement(epoch, content.Debits, content.Credits, content.TraceIds, AmountText.Parse(row.Total),
            row.Manifest, row.Hash, DateTimeOffset.FromUnixTimeMilliseconds(row.ClosedAt), row.Tx);
    }

    /// <summary>Records that the epoch's settleEpoch transaction was mined: account debits move from spent to settled
    /// and payee credits from accrued to settled. Marking again with the same hash returns false and changes nothing.</summary>
    /// <exception cref="KeyNotFoundException">The epoch was never closed.</exception>
    /// <exception cref="InvalidOperationException">The epoch was already marked settled by a different transaction.</exception>
    public async Task<bool> MarkEpochSettledAsync(long epoch, string txHash, CancellationToken cancellationToken = default)
    {
        string tx = BillingLedger.NormalizeTxHash(txHash);
        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        List<string?> rows = await connection.QueryAsync(transaction,
            "SELECT settled_tx_hash FROM billing_epochs WHERE epoch = @epoch", r => r.GetNullableString(0),
            cancellationToken, ("@epoch", epoch)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw new KeyNotFoundException($"Epoch {epoch} was never closed.");
        }

        if (rows[0] is { } settledBy)
        {
            return settledBy == tx
                ? false
                : throw new InvalidOperationException($"Epoch {epoch} was already settled by {settledBy}, not {tx}.");
        }

        EpochContent content = await LoadContentAsync(connection, transaction, epoch, cancellationToken).ConfigureAwait(false);
        foreach (EpochAmount debit in content.Debits)
        {
            AccountTotals totals = await AccountRows.LoadAsync(connection, transaction, debit.Address, cancellationToken).ConfigureAwait(false);
            totals.Spent -= debit.Amount;
            totals.Settled += debit.Amount;
            await AccountRows.SaveAsync(connection, transaction, totals, cancellationToken).ConfigureAwait(false);
        }

        foreach (EpochAmount credit in content.Credits)
        {
            PayeeBalance payee = await PayeeRows.LoadAsync(connection, transaction, credit.Address, cancellationToken).ConfigureAwait(false);
            if (payee.Accrued < credit.Amount)
            {
                throw new InvalidOperationException($"Payee {credit.Address} has accrued {payee.Accrued}, less than its credit {credit.Amount}.");
            }

            await PayeeRows.SaveAsync(connection, transaction,
                payee with { Accrued = payee.Accrued - credit.Amount, Settled = payee.Settled + credit.Amount }, cancellationToken)
                .ConfigureAwait(false);
        }

        await connection.ExecuteAsync(transaction,
            "UPDATE billing_epochs SET settled_tx_hash = @tx, settled_at = @now WHERE epoch = @epoch",
            cancellationToken, ("@tx", tx), ("@now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("@epoch", epoch))
            .ConfigureAwait(false);
        transaction.Commit();
        return true;
    }

    /// <summary>
    /// Undoes <see cref="MarkEpochSettledAsync"/> after the chain lost the epoch's settlement (a rollback or reset):
    /// account debits move back from settled to spent and payee credits from settled to accrued, and the epoch is
    /// unsettled again so it is settled anew. Returns false (and changes nothing) when it was not settled by
    /// <paramref name="txHash"/> (not settled at all, or by another transaction: someone else changed it).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The epoch was never closed.</exception>
    public async Task<bool> ReopenSettledEpochAsync(long epoch, string txHash, CancellationToken cancellationToken = default)
    {
        string tx = BillingLedger.NormalizeTxHash(txHash);
        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        List<string?> rows = await connection.QueryAsync(transaction,
            "SELECT settled_tx_hash FROM billing_epochs WHERE epoch = @epoch", r => r.GetNullableString(0),
            cancellationToken, ("@epoch", epoch)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw new KeyNotFoundException($"Epoch {epoch} was never closed.");
        }

        if (rows[0] != tx)
        {
            return false;
        }

        EpochContent content = await LoadContentAsync(connection, transaction, epoch, cancellationToken).ConfigureAwait(false);
        foreach (EpochAmount debit in content.Debits)
        {
            AccountTotals totals = await AccountRows.LoadAsync(connection, transaction, debit.Address, cancellationToken).ConfigureAwait(false);
            totals.Settled -= debit.Amount;
            totals.Spent += debit.Amount;
            await AccountRows.SaveAsync(connection, transaction, totals, cancellationToken).ConfigureAwait(false);
        }

        foreach (EpochAmount credit in content.Credits)
        {
            PayeeBalance payee = await PayeeRows.LoadAsync(connection, transaction, credit.Address, cancellationToken).ConfigureAwait(false);
            await PayeeRows.SaveAsync(connection, transaction,
                payee with { Accrued = payee.Accrued + credit.Amount, Settled = payee.Settled - credit.Amount }, cancellationToken)
                .ConfigureAwait(false);
        }

        await connection.ExecuteAsync(transaction,
            "UPDATE billing_epochs SET settled_tx_hash = NULL, settled_at = NULL WHERE epoch = @epoch",
            cancellationToken, ("@epoch", epoch)).ConfigureAwait(false);
        transaction.Commit();
        return true;
    }

    /// <summary>Debits, credits and trace ids of the charges in <paramref name="epoch"/>, or of those in no epoch yet
    /// when null. Amounts are summed in C# (they are TEXT); zero debits are left out.</summary>
    private static async Task<EpochContent> LoadContentAsync(SqliteConnection connection, SqliteTransaction transaction, long? epoch,
        CancellationToken cancellationToken)
    {
        string filter = epoch is null ? "epoch IS NULL" : "epoch = @epoch";
        (string, object?)[] parameters = epoch is null ? [] : [("@epoch", epoch.Value)];
        List<(string Address, string Amount, string? TraceId)> charges = await connection.QueryAsync(transaction,
            $"SELECT address, amount, trace_id FROM billing_charges WHERE {filter}",
            r => (r.GetString(0), r.GetString(1), r.GetNullableString(2)), cancellationToken, parameters).ConfigureAwait(false);
        List<(string Payee, string Amount)> accruals = await connection.QueryAsync(transaction,
            $"SELECT payee, amount FROM billing_accruals WHERE {filter}",
            r => (r.GetString(0), r.GetString(1)), cancellationToken, parameters).ConfigureAwait(false);

        var debits = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        var traceIds = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((string address, string amount, string? traceId) in charges)
        {
            debits[address] = debits.GetValueOrDefault(address) + AmountText.Parse(amount);
            if (traceId is not null)
            {
                traceIds.Add(traceId);
            }
        }

        var credits = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach ((string payee, string amount) in accruals)
        {
            credits[payee] = credits.GetValueOrDefault(payee) + AmountText.Parse(amount);
        }

        return new EpochContent(
            charges.Count,
            debits.Where(d => d.Value.Sign > 0).Select(d => new EpochAmount(d.Key, d.Value)).ToList(),
            credits.Where(c => c.Value.Sign > 0).Select(c => new EpochAmount(c.Key, c.Value)).ToList(),
            traceIds.ToList());
    }
}
