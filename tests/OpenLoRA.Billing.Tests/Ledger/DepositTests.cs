using System.Numerics;
using OpenLoRA.Billing.Ledger;

namespace OpenLoRA.Billing.Tests.Ledger;

public sealed class DepositTests : IDisposable
{
    private readonly TestBilling _billing = new();

    public void Dispose() => _billing.Dispose();

    [Fact]
    public async Task RecordDeposit_SameLogTwice_CountedOnce()
    {
        string user = TestBilling.Address(1);
        BigInteger amount = 25 * TestBilling.Open;

        Assert.True(await _billing.Ledger.RecordDepositAsync(user, amount, TestBilling.TxHash(1), 3, 100));
        Assert.False(await _billing.Ledger.RecordDepositAsync(user.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal),
            amount, TestBilling.TxHash(1).ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), 3, 100));
        Assert.True(await _billing.Ledger.RecordDepositAsync(user, amount, TestBilling.TxHash(1), 4, 100));

        AccountView view = (await _billing.Ledger.GetAccountAsync(user))!;
        Assert.Equal(50 * TestBilling.Open, view.Deposited);
        Assert.Equal(50 * TestBilling.Open, view.Balance);
    }

    [Fact]
    public async Task RecordDeposit_SameLogDifferentAmount_Throws()
    {
        string user = TestBilling.Address(1);
        await _billing.Ledger.RecordDepositAsync(user, 10, TestBilling.TxHash(1), 0, 100);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _billing.Ledger.RecordDepositAsync(user, 11, TestBilling.TxHash(1), 0, 100));
        Assert.Equal(10, (await _billing.Ledger.GetAccountAsync(user))!.Deposited);
    }

    [Fact]
    public async Task RecordDeposit_AmountAbove64Bits_StoredExactly()
    {
        string user = TestBilling.Address(1);
        BigInteger amount = BigInteger.Parse("115792089237316195423570985008687907853269984665640564039457584007913129639935");

        await _billing.Ledger.RecordDepositAsync(user, amount, TestBilling.TxHash(9), 0, 1);

        using TestBilling restarted = _billing.Reopen();
        Assert.Equal(amount, (await restarted.Ledger.GetAccountAsync(user))!.Balance);
    }

    [Fact]
    public async Task GetAccount_NeverSeen_Null()
    {
        Assert.Null(await _billing.Ledger.GetAccountAsync(TestBilling.Address(42)));
    }
}
