using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>One row of <c>billing_accounts</c>: running totals kept so a reservation reads one row instead of summing
/// the account's history. Changed only inside an IMMEDIATE transaction (one writer at a time).</summary>
internal sealed class AccountTotals
{
    public required string Address { get; init; }

    public BigInteger Deposited { get; set; }

    public BigInteger Reserved { get; set; }

    public BigInteger Spent { get; set; }

    public BigInteger Settled { get; set; }

    public BigInteger Available => Deposited - Settled - Spent - Reserved;

    /// <summary>Thrown before a write, so a bug can never commit a negative balance.</summary>
    public void AssertConsistent()
    {
        if (Reserved.Sign < 0 || Spent.Sign < 0 || Settled.Sign < 0 || Available.Sign < 0)
        {
            throw new InvalidOperationException(
                $"Billing invariant broken for {Address}: deposited {Deposited}, settled {Settled}, spent {Spent}, reserved {Reserved}.");
        }
    }
}
