using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

public sealed partial class BillingLedger
{
    /// <summary>The account's totals and its most recent charges (newest first), read from one snapshot; null for an
    /// address that never deposited or signed in.</summary>
    public async Task<AccountView?> GetAccountAsync(string address, int recentCharges = 20, CancellationToken cancellationToken = default)
    {
        string normalized = EthAddress.Normalize(address);
        ArgumentOutOfRangeException.ThrowIfNegative(recentCharges);
        await using SqliteConnection connection = _database.Open();

        // A deferred transaction is a read snapshot in WAL mode: totals and charges are from the same moment.
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        if (!await AccountRows.ExistsAsync(connection, transaction, normalized, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        AccountTotals totals = await AccountRows.LoadAsync(connection, transaction, normalized, cancellationToken).ConfigureAwait(false);
        List<ChargeRecord> charges = await connection.QueryAsync(transaction,
            "SELECT request_id, amount, trace_id, created_at, epoch FROM billing_charges WHERE address = @address " +
            "ORDER BY created_at DESC, request_id DESC LIMIT @limit",
            r => new ChargeRecord(r.GetString(0), AmountText.Parse(r.GetString(1)), r.GetNullableString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)), r.GetNullableInt64(4)),
            cancellationToken, ("@address", normalized), ("@limit", (long)recentCharges)).ConfigureAwait(false);
        return new AccountView(normalized, totals.Deposited, totals.Reserved, totals.Spent, totals.Settled, totals.Available, charges);
    }

    /// <summary>A payee's accrued (unsettled) and settled earnings; zero for an address never credited.</summary>
    public async Task<PayeeBalance> GetPayeeAsync(string address, CancellationToken cancellationToken = default)
    {
        string normalized = EthAddress.Normalize(address);
        await using SqliteConnection connection = _database.Open();
        return await PayeeRows.LoadAsync(connection, null, normalized, cancellationToken).ConfigureAwait(false);
    }
}
