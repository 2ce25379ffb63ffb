using System.Numerics;
using Microsoft.Data.Sqlite;

namespace OpenLoRA.Billing.Ledger;

/// <summary>
/// A record that must exist exactly when its charge does (the server's signed attribution trace, which carries the
/// charged amount): <see cref="BillingLedger.SettleAsync(string, BigInteger, string?, SplitRecipients, IChargeCompanion?, CancellationToken)"/>
/// calls it inside the charge's own transaction, after the charge and its accruals are written and before the commit.
/// It must write through <paramref name="transaction"/> only, to a table in the ledger's database; if it throws, the
/// whole transaction rolls back, so no charge is ever committed without its record, or a record without its charge.
/// </summary>
public interface IChargeCompanion
{
    /// <param name="transaction">The open charge transaction (its connection is <see cref="SqliteTransaction.Connection"/>).</param>
    /// <param name="charged">What the charge commits, in base units (after the cap at the reservation).</param>
    void Write(SqliteTransaction transaction, BigInteger charged);
}
