using System.Net;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// The chain reset under a real server (anvil_reset: every block, contract and deposit gone), then the server
/// restarted on the empty chain: it deploys the contracts again, commits every sealed batch again exactly once, and
/// refuses the accounts whose credited deposits the new chain never saw.
/// </summary>
[Collection(ChainResetCollection.Name)]
public sealed class ChainResetFaultTests(ChainResetServerFixture server)
{
    [Fact]
    public async Task ChainResetThenServerRestarted_BatchesResubmittedAndLostDepositsRefusedNotServed()
    {
        var audit = new ChainFaultAudit(server);
        var user = await ChainFaultTests.PayingUserAsync(server, 5);
        await ChainFaultTests.TrafficAsync(user, 4, server.Http);
        await audit.AssertEverySealedBatchCommittedOnceAsync();

        await ChainFaultTests.AnvilRpcAsync<JsonElement>(server, "anvil_reset");
        Assert.Equal(0, await audit.AssertNoClaimTheChainLacksAsync());
        await audit.WaitForHealthAsync(h => h.Details.Contains(("chain.submitter", "no_contract")));

        // The restarted server deploys the contracts again on the empty chain and finds the ledger crediting
        // deposits that chain never saw.
        await server.StopProcessAsync(graceful: true);
        await server.StartAgainAsync();
        await audit.AssertEverySealedBatchCommittedOnceAsync();
        await audit.WaitForHealthAsync(h => h.Details.Contains(("chain.deposits", "missing_deposits")));

        using var refused = await user.ChatAsync(TestModels.Adapter, "Still paid for?", 4);
        var error = await BillingApi.Json(refused, HttpStatusCode.Forbidden);
        Assert.Equal("deposits_not_on_chain", error.GetProperty("error").GetProperty("code").GetString());

        // An account whose deposits are all on the new chain is served, and its batches are committed.
        var fresh = await ChainFaultTests.PayingUserAsync(server, 6);
        await ChainFaultTests.TrafficAsync(fresh, 2, server.Http);
        await audit.AssertEverySealedBatchCommittedOnceAsync();

        // The epochs settled on the old chain debited deposits the new one never had: the escrow refuses them
        // again, and says so, rather than the ledger calling them settled.
        await audit.WaitForHealthAsync(h => h.Details.Contains(("chain.settlement", "rejected")));
        await audit.AssertNoEpochClaimTheChainLacksAsync();
    }
}
