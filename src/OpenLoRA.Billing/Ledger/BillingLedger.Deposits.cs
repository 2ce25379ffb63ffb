using System.Numerics;
using Microsoft.Data.Sqlite;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

public sealed partial class BillingLedger
{
    /// <summary>
    /// Records a deposit observed on chain (an escrow <c>Deposited</c> log). Idempotent on (txHash, logIndex): replaying
    /// the same log returns false and changes nothing, so the chain watcher can re-scan blocks freely. Creates the
    /// account if the address is new (a user may deposit before ever signing in).
    /// </summary>
    /// <exception cref="InvalidOperationException">The same log was recorded before with a different address or amount.</exception>
    public async Task<bool> RecordDepositAsync(string address, BigInteger amount, string txHash, long logIndex, long blockNumber,
        CancellationToken cancellationToken = default)
    {
        string normalized = EthAddress.Normalize(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        ArgumentOutOfRangeException.ThrowIfNegative(logIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(blockNumber);
        string tx = NormalizeTxHash(txHash);

        await using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        List<(string Address, string Amount)> existing = await connection.QueryAsync(transaction,
            "SELECT address, amount FROM billing_deposits WHERE tx_hash = @tx AND log_index = @log",
            r => (r.GetString(0), r.GetString(1)), cancellationToken, ("@tx", tx), ("@log", logIndex)).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            if (existing[0].Address != normalized || AmountText.Parse(existing[0].Amount) != amount)
            {
                throw new InvalidOperationException(
                    $"Deposit {tx}#{logIndex} was recorded for {existing[0].Address} / {existing[0].Amount}, not {normalized} / {amount}.");
            }

            return false;
        }

        long now = NowMs;
        await AccountRows.EnsureAsync(connection, transaction, normalized, now, cancellationToken).ConfigureAwait(false);
        AccountTotals totals = await AccountRows.LoadAsync(connection, transaction, normalized, cancellationToken).ConfigureAwait(false);
        totals.Deposited += amount;
        await AccountRows.SaveAsync(connection, transaction, totals, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(transaction,
            "INSERT INTO billing_deposits (tx_hash, log_index, address, amount, block_number, recorded_at) " +
            "VALUES (@tx, @log, @address, @amount, @block, @now)",
            cancellationToken, ("@tx", tx), ("@log", logIndex), ("@address", normalized), ("@amount", AmountText.Format(amount)),
            ("@block", blockNumber), ("@now", now)).ConfigureAwait(false);
        transaction.Commit();
        return true;
    }

    internal static string NormalizeTxHash(string txHash)
    {
        if (txHash is not { Length: 66 } || !txHash.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || txHash.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            throw new ArgumentException($"'{txHash}' is not a 0x-prefixed 32-byte transaction hash.", nameof(txHash));
        }

        return "0x" + txHash[2..].ToLowerInvariant();
    }
}
