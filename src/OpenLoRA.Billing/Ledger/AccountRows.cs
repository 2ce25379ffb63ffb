using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

/// <summary>Reads and writes <c>billing_accounts</c> rows inside the caller's transaction.</summary>
internal static class AccountRows
{
    public static Task<int> EnsureAsync(SqliteConnection connection, SqliteTransaction transaction, string address,
        long nowMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction,
            "INSERT INTO billing_accounts (address, deposited, reserved, spent, settled, created_at) " +
            "VALUES (@address, '0', '0', '0', '0', @now) ON CONFLICT (address) DO NOTHING",
            cancellationToken, ("@address", address), ("@now", nowMs));

    /// <summary>The account's totals; all zero (and not yet a row) for an address never seen.</summary>
    public static async Task<AccountTotals> LoadAsync(SqliteConnection connection, SqliteTransaction? transaction, string address,
        CancellationToken cancellationToken)
    {
        List<AccountTotals> rows = await connection.QueryAsync(transaction,
            "SELECT deposited, reserved, spent, settled FROM billing_accounts WHERE address = @address",
            r => new AccountTotals
            {
                Address = address,
                Deposited = AmountText.Parse(r.GetString(0)),
                Reserved = AmountText.Parse(r.GetString(1)),
                Spent = AmountText.Parse(r.GetString(2)),
                Settled = AmountText.Parse(r.GetString(3)),
            },
            cancellationToken, ("@address", address)).ConfigureAwait(false);
        return rows.Count == 0 ? new AccountTotals { Address = address } : rows[0];
    }

    public static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction? transaction, string address,
        CancellationToken cancellationToken) =>
        await connection.ScalarAsync(transaction, "SELECT 1 FROM billing_accounts WHERE address = @address",
            cancellationToken, ("@address", address)).ConfigureAwait(false) is not null;

    /// <summary>Writes the totals back (the row must exist: <see cref="EnsureAsync"/> first).</summary>
    public static async Task SaveAsync(SqliteConnection connection, SqliteTransaction transaction, AccountTotals totals,
        CancellationToken cancellationToken)
    {
        totals.AssertConsistent();
        int changed = await connection.ExecuteAsync(transaction,
            "UPDATE billing_accounts SET deposited = @deposited, reserved = @reserved, spent = @spent, settled = @settled " +
            "WHERE address = @address",
            cancellationToken,
            ("@deposited", AmountText.Format(totals.Deposited)), ("@reserved", AmountText.Format(totals.Reserved)),
            ("@spent", AmountText.Format(totals.Spent)), ("@settled", AmountText.Format(totals.Settled)),
            ("@address", totals.Address)).ConfigureAwait(false);
        if (changed != 1)
        {
            throw new InvalidOperationException($"Account row {totals.Address} is missing.");
        }
    }
}
