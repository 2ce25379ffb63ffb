using System.Numerics;
using System.Text;
using Nethereum.Util;
using OpenLoRA.Billing.Epochs;
using OpenLoRA.Billing.Ledger;

namespace OpenLoRA.Billing.Tests.Epochs;

public sealed class EpochSettlerTests : IDisposable
{
    private readonly TestBilling _billing = new();

    public void Dispose() => _billing.Dispose();

    [Fact]
    public async Task CloseEpoch_DebitsEqualCreditsSortedWithTraces()
    {
        await SeedAsync(_billing);

        EpochSettlement epoch = (await _billing.Epochs.CloseEpochAsync())!;

        Assert.Equal(0, epoch.Epoch);
        Assert.Equal([TestBilling.Address(1), TestBilling.Address(2)], epoch.Debits.Select(d => d.Address));
        Assert.Equal(epoch.Debits.OrderBy(d => d.Address, StringComparer.Ordinal), epoch.Debits);
        Assert.Equal(epoch.Credits.OrderBy(c => c.Address, StringComparer.Ordinal), epoch.Credits);
        BigInteger debits = epoch.Debits.Aggregate(BigInteger.Zero, (s, d) => s + d.Amount);
        BigInteger credits = epoch.Credits.Aggregate(BigInteger.Zero, (s, c) => s + c.Amount);
        Assert.Equal(debits, credits);
        Assert.Equal(debits, epoch.Total);
        Assert.Equal(new BigInteger(777_777 + 123_457 + 5), debits);
        Assert.Equal(["trace-a", "trace-b"], epoch.TraceIds);
        Assert.Equal("0x" + Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(epoch.Manifest))),
            epoch.ManifestHash);
        Assert.StartsWith("{\"epoch\":0,\"debits\":[{\"account\":\"" + TestBilling.Address(1) + "\",\"amount\":\"", epoch.Manifest,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseEpoch_SameDataInAnotherDatabase_SameManifestHash()
    {
        using var other = new TestBilling();
        await SeedAsync(_billing);
        await SeedAsync(other, reverseOrder: true);

        EpochSettlement a = (await _billing.Epochs.CloseEpochAsync())!;
        EpochSettlement b = (await other.Epochs.CloseEpochAsync())!;

        Assert.Equal(a.Manifest, b.Manifest);
        Assert.Equal(a.ManifestHash, b.ManifestHash);
        using TestBilling reopened = _billing.Reopen();
        EpochSettlement rebuilt = (await reopened.Epochs.GetEpochAsync(0))!;
        Assert.Equal(a.ManifestHash, EpochManifest.Hash(EpochManifest.Build(0, rebuilt.Debits, rebuilt.Credits, rebuilt.TraceIds)));
    }

    [Fact]
    public async Task CloseEpoch_NothingNew_NullAndNextEpochTakesOnlyNewCharges()
    {
        Assert.Null(await _billing.Epochs.CloseEpochAsync());
        await SeedAsync(_billing);
        await _billing.Epochs.CloseEpochAsync();
        Assert.Null(await _billing.Epochs.CloseEpochAsync());

        await _billing.Ledger.ReserveAsync(TestBilling.Address(1), "late", 10);
        await _billing.Ledger.SettleAsync("late", 10, "trace-c", SplitRecipients.PublisherOnly(TestBilling.Publisher));
        EpochSettlement next = (await _billing.Epochs.CloseEpochAsync())!;

        Assert.Equal(1, next.Epoch);
        Assert.Equal([new EpochAmount(TestBilling.Address(1), 10)], next.Debits);
        Assert.Equal(["trace-c"], next.TraceIds);
    }

    [Fact]
    public async Task CloseEpoch_OpenReservationsNotIncluded()
    {
        await SeedAsync(_billing);
        await _billing.Ledger.ReserveAsync(TestBilling.Address(1), "running", 1_000);

        EpochSettlement epoch = (await _billing.Epochs.CloseEpochAsync())!;

        Assert.Equal(777_777 + 5, epoch.Debits.Single(d => d.Address == TestBilling.Address(1)).Amount);
    }

    [Fact]
    public async Task MarkEpochSettled_MovesSpentAndAccruedToSettled()
    {
        await SeedAsync(_billing);
        EpochSettlement epoch = (await _billing.Epochs.CloseEpochAsync())!;
        AccountView before = (await _billing.Ledger.GetAccountAsync(TestBilling.Address(1)))!;

        Assert.True(await _billing.Epochs.MarkEpochSettledAsync(epoch.Epoch, TestBilling.TxHash(77)));
        Assert.False(await _billing.Epochs.MarkEpochSettledAsync(epoch.Epoch, TestBilling.TxHash(77)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _billing.Epochs.MarkEpochSettledAsync(epoch.Epoch, TestBilling.TxHash(78)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _billing.Epochs.MarkEpochSettledAsync(5, TestBilling.TxHash(78)));

        AccountView after = (await _billing.Ledger.GetAccountAsync(TestBilling.Address(1)))!;
        Assert.Equal(BigInteger.Zero, after.Spent);
        Assert.Equal(before.Spent, after.SettledDebits);
        Assert.Equal(before.Balance, after.Balance);
        Assert.Equal(after.Deposited, after.Balance + after.Spent + after.Reserved + after.SettledDebits);
        foreach (EpochAmount credit in epoch.Credits)
        {
            PayeeBalance payee = await _billing.Ledger.GetPayeeAsync(credit.Address);
            Assert.Equal(new PayeeBalance(credit.Address, BigInteger.Zero, credit.Amount), payee);
        }

        Assert.Equal(TestBilling.TxHash(77), (await _billing.Epochs.GetEpochAsync(0))!.SettledTxHash);
    }

    /// <summary>Two accounts, three charges (one with contributors, one without a trace id), in either order.</summary>
    private static async Task SeedAsync(TestBilling billing, bool reverseOrder = false)
    {
        await billing.DepositAsync(TestBilling.Address(1), TestBilling.Open, 1);
        await billing.DepositAsync(TestBilling.Address(2), TestBilling.Open, 2);
        var charges = new (string User, string Request, BigInteger Amount, string? Trace, SplitRecipients Split)[]
        {
            (TestBilling.Address(1), "r1", 777_777, "trace-b", new SplitRecipients(TestBilling.Publisher,
                [new ContributorShare(TestBilling.Address(11), 123_456), new ContributorShare(TestBilling.Address(12), 876_544)])),
            (TestBilling.Address(2), "r2", 123_457, "trace-a", SplitRecipients.PublisherOnly(TestBilling.Address(21))),
            (TestBilling.Address(1), "r3", 5, null, SplitRecipients.PublisherOnly(TestBilling.Publisher)),
        };
        foreach (var c in reverseOrder ? charges.Reverse() : charges)
        {
            await billing.Ledger.ReserveAsync(c.User, c.Request, c.Amount);
            await billing.Ledger.SettleAsync(c.Request, c.Amount, c.Trace, c.Split);
            billing.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
