using OpenLoRA.Billing.Storage;

namespace OpenLoRA.Billing.Ledger;

/// <summary>
/// Balances, reservations and charges. Every change is one IMMEDIATE transaction (SQLite's single writer lock, taken
/// at BEGIN), so read-check-write sequences such as "available ≥ amount, then reserve" cannot interleave across
/// threads or processes sharing the file. On PostgreSQL the same statements need SERIALIZABLE or a
/// <c>SELECT … FOR UPDATE</c> of the account row.
/// <para>Money flow per account: deposits (from the chain) → reserved while a request runs → spent (charged) when it
/// settles, or back to available when released → settled debits when its epoch is settled on-chain.
/// Available = deposited − settled − spent − reserved is never negative.</para>
/// </summary>
public sealed partial class BillingLedger
{
    private readonly BillingDatabase _database;
    private readonly FeeSplitter _splitter;
    private readonly TimeProvider _time;

    public BillingLedger(BillingDatabase database, FeeSplitter splitter, TimeProvider time)
    {
        _database = database;
        _splitter = splitter;
        _time = time;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
