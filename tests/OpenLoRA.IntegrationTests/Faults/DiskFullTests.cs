using System.Numerics;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>The disk fills up for real (a 32 MiB tmpfs as the data directory) while a paid stream is generating.</summary>
[Collection(DiskFullBillingServerCollection.Name)]
public sealed class DiskFullTests(DiskFullBillingServerFixture server)
{
    [RootFact]
    public async Task Stream_DiskFillsUpMidStream_ClientGetsSettlementFailedAndNoCompleteOutputGoesUnpaid()
    {
        var user = new BillingApi(server, devAccount: 3);
        await user.SignInAsync();
        await user.DepositAsync(BigInteger.Pow(10, 18) * 10);

        // The disk fills up once the stream has delivered its first content chunk, long before it can end.
        PaidStream stream;
        try
        {
            stream = await PaidStream.ReadAsync(user, TestModels.Adapter, "Write until the disk is full.", 2000, onFirstContent: server.FillDisk);
        }
        finally
        {
            server.FreeDisk();
        }

        Assert.True(stream.Ending == PaidStream.Error, $"stream ended '{stream.Ending}'{Environment.NewLine}{server.RecentOutput}");
        Assert.Equal("settlement_failed", stream.ErrorCode);
        Assert.False(stream.SawFinishReason);
        Assert.True(stream.ContentChunks > 0);

        // Whatever was written is consistent: no charge names a trace that is missing, nothing complete went out.
        var balance = BillingApi.Units((await user.AccountAsync()).GetProperty("balance"));
        LedgerAudit.OfDataDirectory(server.DataDirectory).Run([stream], new Dictionary<string, BigInteger> { [user.Address] = balance }).AssertClean("with the disk full");

        // After a restart nothing is left reserved, and the books still balance to the unit.
        await server.StopProcessAsync(graceful: false);
        await server.StartAgainAsync();
        var account = await user.AccountAsync();
        Assert.Equal(BigInteger.Zero, BillingApi.Units(account.GetProperty("reserved")));
        LedgerAudit.OfDataDirectory(server.DataDirectory)
            .Run([stream], new Dictionary<string, BigInteger> { [user.Address] = BillingApi.Units(account.GetProperty("balance")) })
            .AssertClean("after the restart");
    }
}
