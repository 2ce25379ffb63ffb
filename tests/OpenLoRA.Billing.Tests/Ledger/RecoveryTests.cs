using System.Numerics;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Billing.Pricing;

namespace OpenLoRA.Billing.Tests.Ledger;

public sealed class RecoveryTests : IDisposable
{
    private static readonly SplitRecipients Split = SplitRecipients.PublisherOnly(TestBilling.Publisher);
    private readonly TestBilling _billing = new();
    private readonly string _user = TestBilling.Address(1);

    public void Dispose() => _billing.Dispose();

    [Fact]
    public async Task ResolveOpenReservations_AfterRestart_DeliveredChargedOthersReleasedSettledUntouched()
    {
        var quote = new PriceQuote(3_000, 6_000, 1_000, 2_000, 500);
        await _billing.DepositAsync(_user, TestBilling.Open, 1);
        await _billing.Ledger.ReserveAsync(_user, "done", quote, 10, 100);
        await _billing.Ledger.SettleDeliveredAsync("done", 10, 100, "t-done", Split);
        await _billing.Ledger.ReserveAsync(_user, "streaming", quote, 50, 200);
        _billing.Time.Advance(TimeSpan.FromSeconds(1));
        await _billing.Ledger.ReserveAsync(_user, "queued", quote, 70, 300);
        _billing.Time.Advance(TimeSpan.FromSeconds(1));
        await _billing.Ledger.ReserveAsync(_user, "raw", 999);
        BigInteger doneCharge = quote.Charge(10, 100);

        // The process dies here; a new one opens the same file.
        using TestBilling restarted = _billing.Reopen();
        var seen = new List<string>();
        RecoverySummary summary = await restarted.Ledger.ResolveOpenReservationsAsync((open, _) =>
        {
            seen.Add(open.RequestId);
            return ValueTask.FromResult(open.RequestId switch
            {
                "streaming" => ReservationResolution.Delivered(open.PromptTokens!.Value, 31, "t-streaming", Split),
                "raw" => ReservationResolution.Charge(400, "t-raw", Split),
                _ => ReservationResolution.Release(),
            });
        });

        Assert.Equal(["streaming", "queued", "raw"], seen); // oldest first
        Assert.Equal(new RecoverySummary(Settled: 2, Released: 1), summary);
        AccountView view = (await restarted.Ledger.GetAccountAsync(_user))!;
        Assert.Equal(BigInteger.Zero, view.Reserved);
        Assert.Equal(doneCharge + quote.Charge(50, 31) + 400, view.Spent);
        Assert.Equal(TestBilling.Open, view.Balance + view.Spent);

        // Running recovery again finds nothing open: nothing is charged twice.
        RecoverySummary again = await restarted.Ledger.ResolveOpenReservationsAsync((_, _) =>
            throw new InvalidOperationException("no reservation should be open"));
        Assert.Equal(new RecoverySummary(0, 0), again);
    }

    [Fact]
    public async Task ResolveOpenReservations_OpenReservationCarriesStoredQuote()
    {
        var quote = new PriceQuote(BigInteger.Parse("98765432109876543210"), 2, 3, 4, 5);
        await _billing.DepositAsync(_user, BigInteger.Pow(10, 30), 1);
        await _billing.Ledger.ReserveAsync(_user, "r", quote, 11, 22);

        using TestBilling restarted = _billing.Reopen();
        OpenReservation? captured = null;
        await restarted.Ledger.ResolveOpenReservationsAsync((open, _) =>
        {
            captured = open;
            return ValueTask.FromResult(ReservationResolution.Release());
        });

        Assert.NotNull(captured);
        Assert.Equal(quote, captured.Quote);
        Assert.Equal(11, captured.PromptTokens);
        Assert.Equal(22, captured.MaxTokens);
        Assert.Equal(quote.Reservation(11, 22), captured.Amount);
        Assert.Equal(_user, captured.Address);
    }
}
