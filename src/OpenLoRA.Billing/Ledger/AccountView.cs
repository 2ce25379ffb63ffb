using System.Numerics;

namespace OpenLoRA.Billing.Ledger;

/// <summary>
/// An account's money, in OPEN base units. <see cref="Balance"/> (available) = <see cref="Deposited"/> −
/// <see cref="SettledDebits"/> − <see cref="Spent"/> − <see cref="Reserved"/>, never negative, where
/// <see cref="Spent"/> is charged but not yet settled on-chain and <see cref="SettledDebits"/> is what epoch
/// settlements have already taken from the escrow.
/// </summary>
public sealed record AccountView(
    string Address,
    BigInteger Deposited,
    BigInteger Reserved,
    BigInteger Spent,
    BigInteger SettledDebits,
    BigInteger Balance,
    IReadOnlyList<ChargeRecord> RecentCharges);
