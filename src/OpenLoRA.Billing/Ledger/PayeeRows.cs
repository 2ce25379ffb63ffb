using System.Numerics;
using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

/// <summary>Reads and writes <c>billing_payees</c> rows inside the caller's transaction.</summary>
internal static class PayeeRows
{
    public static async Task<PayeeBalance> LoadAsync(SqliteConnection connection, SqliteTransaction? transaction, string address,
        CancellationToken cancellationToken)
    {
        List<PayeeBalance> rows = await connection.QueryAsync(transaction,
            "SELECT accrued, settled FROM billing_payees WHERE address = @address",
            r => new PayeeBalance(address, AmountText.Parse(r.GetString(0)), AmountText.Parse(r.GetString(1))),
            cancellationToken, ("@address", address)).ConfigureAwait(false);
        return rows.Count == 0 ? new PayeeBalance(address, BigInteger.Zero, BigInteger.Zero) : rows[0];
    }

    public static Task<int> SaveAsync(SqliteConnection connection, SqliteTransaction transaction, PayeeBalance balance,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction,
            "INSERT INTO billing_payees (address, accrued, settled) VALUES (@address, @accrued, @settled) " +
            "ON CONFLICT (address) DO UPDATE SET accrued = excluded.accrued, settled = excluded.settled",
            cancellationToken,
            ("@address", balance.Address), ("@accrued", AmountText.Format(balance.Accrued)),
            ("@settled", AmountText.Format(balance.Settled)));
}
