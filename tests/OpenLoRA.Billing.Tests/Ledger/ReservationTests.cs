using System.Collections.Concurrent;
using System.Numerics;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Billing.Tests.Ledger;

public sealed class ReservationTests : IDisposable
{
    private static readonly SplitRecipients Split = SplitRecipients.PublisherOnly(TestBilling.Publisher);
    private readonly TestBilling _billing = new();
    private readonly string _user = TestBilling.Address(1);

    public void Dispose() => _billing.Dispose();

    [Fact]
    public async Task Reserve_HundredParallelOnTenRequestsOfFunds_ExactlyTenSucceed()
    {
        BigInteger price = 3 * TestBilling.Open / 7; // not a round number, so sums are checked to the unit
        BigInteger deposit = price * 10 + price / 2; // enough for 10.5 requests
        await _billing.DepositAsync(_user, deposit, 1);
        var refused = new ConcurrentBag<InsufficientBalanceException>();

        // Each call runs on the thread pool and opens its own connection, like concurrent HTTP requests.
        Task<bool>[] attempts = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            try
            {
                await _billing.Ledger.ReserveAsync(_user, $"req-{i}", price);
                return true;
            }
            catch (InsufficientBalanceException e)
            {
                refused.Add(e);
                return false;
            }
        })).ToArray();
        bool[] results = await Task.WhenAll(attempts);

        Assert.Equal(10, results.Count(r => r));
        Assert.Equal(90, refused.Count);
        Assert.All(refused, e =>
        {
            Assert.Equal(price, e.Required);
            Assert.Equal(price / 2, e.Available);
            Assert.Equal(price - price / 2, e.Shortfall);
        });
        AccountView view = (await _billing.Ledger.GetAccountAsync(_user))!;
        Assert.Equal(price * 10, view.Reserved);
        Assert.Equal(price / 2, view.Balance);
        Assert.Equal(deposit, view.Balance + view.Spent + view.Reserved + view.SettledDebits);
    }

    [Fact]
    public async Task Reserve_ParallelReserveSettleRelease_LedgerBalancesAndNeverNegative()
    {
        BigInteger price = 1_000_003;
        BigInteger deposit = price * 10;
        await _billing.DepositAsync(_user, deposit, 1);
        var random = new Random(7);
        int[] actions = Enumerable.Range(0, 100).Select(_ => random.Next(3)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            string id = $"req-{i}";
            try
            {
                await _billing.Ledger.ReserveAsync(_user, id, price);
            }
            catch (InsufficientBalanceException)
            {
                return;
            }

            if (actions[i] == 0)
            {
                await _billing.Ledger.ReleaseAsync(id);
            }
            else if (actions[i] == 1)
            {
                await _billing.Ledger.SettleAsync(id, price / 3, null, Split);
            }
        })));

        AccountView view = (await _billing.Ledger.GetAccountAsync(_user))!;
        Assert.True(view.Balance.Sign >= 0);
        Assert.Equal(deposit, view.Balance + view.Spent + view.Reserved + view.SettledDebits);
        PayeeBalance publisher = await _billing.Ledger.GetPayeeAsync(TestBilling.Publisher);
        PayeeBalance protocol = await _billing.Ledger.GetPayeeAsync(TestBilling.Protocol);
        Assert.Equal(view.Spent, publisher.Accrued + protocol.Accrued);
    }

    [Fact]
    public async Task Reserve_NoAccount_InsufficientWithAmountNeeded()
    {
        var e = await Assert.ThrowsAsync<InsufficientBalanceException>(() => _billing.Ledger.ReserveAsync(TestBilling.Address(5), "r", 42));

        Assert.Equal(42, e.Required);
        Assert.Equal(BigInteger.Zero, e.Available);
    }

    [Fact]
    public async Task Reserve_SameRequestIdRetried_ReturnsExistingReservation()
    {
        await _billing.DepositAsync(_user, 100, 1);

        Reservation first = await _billing.Ledger.ReserveAsync(_user, "r", 60);
        Reservation again = await _billing.Ledger.ReserveAsync(_user, "r", 60);

        Assert.Equal(first, again);
        Assert.Equal(60, (await _billing.Ledger.GetAccountAsync(_user))!.Reserved);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _billing.Ledger.ReserveAsync(_user, "r", 10));
    }

    [Fact]
    public async Task Settle_Twice_SecondIsNoOpReturningFirstResult()
    {
        await _billing.DepositAsync(_user, 1_000, 1);
        await _billing.Ledger.ReserveAsync(_user, "r", 500);

        ChargeResult first = await _billing.Ledger.SettleAsync("r", 321, "trace-1", Split);
        ChargeResult second = await _billing.Ledger.SettleAsync("r", 499, "trace-2", SplitRecipients.PublisherOnly(TestBilling.Address(9)));

        Assert.False(first.AlreadySettled);
        Assert.True(second.AlreadySettled);
        Assert.Equal((first.Address, first.Reserved, first.Requested, first.Charged, first.TraceId),
            (second.Address, second.Reserved, second.Requested, second.Charged, second.TraceId));
        Assert.Equal(first.Shares, second.Shares);
        AccountView view = (await _billing.Ledger.GetAccountAsync(_user))!;
        Assert.Equal(321, view.Spent);
        Assert.Equal(0, view.Reserved);
        Assert.Equal(1_000 - 321, view.Balance);
        ChargeRecord charge = Assert.Single(view.RecentCharges);
        Assert.Equal(new ChargeRecord("r", 321, "trace-1", _billing.Time.GetUtcNow(), null), charge);
        Assert.Equal(BigInteger.Zero, (await _billing.Ledger.GetPayeeAsync(TestBilling.Address(9))).Accrued);
    }

    [Fact]
    public async Task Settle_ChargeAboveReservation_CappedAtReservation()
    {
        await _billing.DepositAsync(_user, 1_000, 1);
        await _billing.Ledger.ReserveAsync(_user, "r", 400);

        ChargeResult result = await _billing.Ledger.SettleAsync("r", 900, null, Split);

        Assert.True(result.Capped);
        Assert.Equal(900, result.Requested);
        Assert.Equal(400, result.Charged);
        Assert.Equal(600, (await _billing.Ledger.GetAccountAsync(_user))!.Balance);
    }

    [Fact]
    public async Task Settle_WritesAccrualsSummingToCharge()
    {
        await _billing.DepositAsync(_user, 10_000, 1);
        await _billing.Ledger.ReserveAsync(_user, "r", 10_000);
        var split = new SplitRecipients(TestBilling.Publisher,
            [new ContributorShare(TestBilling.Address(2), 600_000), new ContributorShare(TestBilling.Address(3), 400_000)]);

        ChargeResult result = await _billing.Ledger.SettleAsync("r", 9_999, "t", split);

        Assert.Equal(9_999, result.Shares.Aggregate(BigInteger.Zero, (s, p) => s + p.Amount));
        Assert.Equal(6_999, (await _billing.Ledger.GetPayeeAsync(TestBilling.Publisher)).Accrued);
        Assert.Equal(1_199, (await _billing.Ledger.GetPayeeAsync(TestBilling.Address(2))).Accrued);
        Assert.Equal(799, (await _billing.Ledger.GetPayeeAsync(TestBilling.Address(3))).Accrued);
        Assert.Equal(1_002, (await _billing.Ledger.GetPayeeAsync(TestBilling.Protocol)).Accrued);
        ChargeResult stored = (await _billing.Ledger.GetChargeAsync("r"))!;
        Assert.Equal(result.Charged, stored.Charged);
        Assert.Equal(result.Shares, stored.Shares);
    }

    [Fact]
    public async Task Release_ReturnsReservationAndIsIdempotent()
    {
        await _billing.DepositAsync(_user, 100, 1);
        await _billing.Ledger.ReserveAsync(_user, "r", 70);

        Assert.True(await _billing.Ledger.ReleaseAsync("r"));
        Assert.False(await _billing.Ledger.ReleaseAsync("r"));
        Assert.False(await _billing.Ledger.ReleaseAsync("never"));

        AccountView view = (await _billing.Ledger.GetAccountAsync(_user))!;
        Assert.Equal(100, view.Balance);
        Assert.Equal(0, view.Reserved);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _billing.Ledger.SettleAsync("r", 1, null, Split));
    }

    [Fact]
    public async Task Release_AfterSettle_DoesNotUndoCharge()
    {
        await _billing.DepositAsync(_user, 100, 1);
        await _billing.Ledger.ReserveAsync(_user, "r", 70);
        await _billing.Ledger.SettleAsync("r", 50, null, Split);

        Assert.False(await _billing.Ledger.ReleaseAsync("r"));
        Assert.Equal(50, (await _billing.Ledger.GetAccountAsync(_user))!.Spent);
    }

    [Fact]
    public async Task Settle_Unreserved_Throws()
    {
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => _billing.Ledger.SettleAsync("nope", 1, null, Split));
    }

    [Fact]
    public async Task SettleDelivered_CancelledMidStream_ChargesPromptAndDeliveredTokensByStoredQuote()
    {
        var quote = new PriceQuote(2_000, 4_000, 1_000, 1_000, 1_000);
        await _billing.DepositAsync(_user, TestBilling.Open, 1);
        Reservation reservation = await _billing.Ledger.ReserveAsync(_user, "r", quote, promptTokens: 120, maxTokens: 512);
        Assert.Equal(quote.Reservation(120, 512), reservation.Amount);

        ChargeResult result = await _billing.Ledger.SettleDeliveredAsync("r", 120, 17, "t", Split);

        Assert.Equal(quote.Charge(120, 17), result.Charged);
        Assert.False(result.Capped);
        Assert.Equal(TestBilling.Open - quote.Charge(120, 17), (await _billing.Ledger.GetAccountAsync(_user))!.Balance);
    }

    [Fact]
    public async Task SettleDelivered_RawReservationWithoutQuote_Throws()
    {
        await _billing.DepositAsync(_user, 100, 1);
        await _billing.Ledger.ReserveAsync(_user, "r", 100);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _billing.Ledger.SettleDeliveredAsync("r", 1, 1, null, Split));
        ChargeResult priced = await _billing.Ledger.SettleDeliveredAsync("r", 1_000, 0, null, Split, new PriceQuote(5, 0, 0, 0, 0));
        Assert.Equal(5, priced.Charged);
    }
}
