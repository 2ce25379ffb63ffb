using System.Collections.Frozen;
using System.Globalization;
using System.Numerics;
using OpenLoRA.Chain;
using OpenLoRA.Chain.Health;
using OpenLoRA.Engine.Storage;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Checks, once at start (by the <see cref="DepositWatcher"/>, before it credits anything new), that every deposit the
/// ledger has credited is still on the chain: the receipt of its transaction holds the escrow's Deposited event at the
/// recorded log index, for the same account and amount. A local chain reset (anvil restarted on empty state) used to
/// leave the ledger crediting balances the escrow no longer holds, and they were served from. An account with such a
/// deposit is refused paid requests (403 <c>deposits_not_on_chain</c>) until an operator reconciles the ledger; the
/// finding is an error log, a counted contradiction and a degraded /health detail. One receipt is read per deposit
/// transaction; while the chain cannot be read every account is served as before (an outage is not a reset).
/// </summary>
internal sealed class DepositAudit(ChainConnection chain, SqliteDatabase database, ChainHealth health, ILogger<DepositAudit> logger)
{
    private volatile FrozenSet<string> _refused = FrozenSet<string>.Empty;

    /// <summary>Throws the 403 for an account whose credited deposits the chain does not hold.</summary>
    public void ThrowIfRefused(string account)
    {
        if (_refused.Contains(account))
        {
            throw ApiException.Forbidden(
                $"The ledger credits this account with deposits that chain {chain.Deployment.ChainId.ToString(CultureInfo.InvariantCulture)} does not hold " +
                "(the chain was reset or rolled back); paid requests are refused until the operator reconciles the ledger. GET /health has the detail.",
                null,
                "deposits_not_on_chain");
        }
    }

    /// <summary>Compares every credited deposit with the chain; throws when the chain cannot be read (the caller retries).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var credited = ReadCredited();
        var missing = new List<CreditedDeposit>();
        foreach (var transaction in credited.GroupBy(c => c.TransactionHash, StringComparer.OrdinalIgnoreCase))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var onChain = await chain.Escrow.GetDepositsInTransactionAsync(transaction.Key);
            foreach (var deposit in transaction)
            {
                var held = onChain?.Any(e => (long)e.LogIndex == deposit.LogIndex
                    && string.Equals(e.Account, deposit.Address, StringComparison.OrdinalIgnoreCase)
                    && e.Amount == deposit.Amount) ?? false;
                if (!held)
                {
                    missing.Add(deposit);
                }
            }
        }

        if (missing.Count == 0)
        {
            _refused = FrozenSet<string>.Empty;
            health.Clear(ChainComponents.Deposits);
            return;
        }

        var accounts = missing.Select(m => m.Address).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        var total = missing.Aggregate(BigInteger.Zero, (sum, m) => sum + m.Amount);
        _refused = accounts;
        DepositLog.MissingOnChain(logger, missing.Count, credited.Count, OpenAmount.Format(total), accounts.Count, string.Join(", ", accounts.Order()));
        health.Report(ChainComponents.Deposits, "missing_deposits",
            $"The ledger credits {missing.Count} of its {credited.Count} deposits ({OpenAmount.Format(total)} OPEN, accounts {string.Join(", ", accounts.Order())}) that the chain does not hold (a reset or rollback); paid requests from these accounts are refused.");
    }

    private List<CreditedDeposit> ReadCredited()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tx_hash, log_index, address, amount FROM billing_deposits ORDER BY block_number, tx_hash, log_index";
        using var reader = command.ExecuteReader();
        var credited = new List<CreditedDeposit>();
        while (reader.Read())
        {
            credited.Add(new CreditedDeposit(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), BigInteger.Parse(reader.GetString(3), CultureInfo.InvariantCulture)));
        }

        return credited;
    }
}
