using System.Net;
using System.Numerics;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// The chain stopped, rolled back and reset under a real server (its own anvil, real SQLite, paid traffic). After
/// each fault: every sealed batch is committed exactly once with no gap, the API never calls committed a batch the
/// chain lacks, every closed epoch is settled on the escrow, and the contradiction showed on /health. Each test uses
/// its own paying account and ends with the chain and the server agreeing, so the order they run in does not matter;
/// the reset, which loses deposits for good, has its own server (<see cref="ChainResetFaultTests"/>).
/// </summary>
[Collection(ChainFaultCollection.Name)]
public sealed class ChainFaultTests(ChainFaultServerFixture server)
{
    private static readonly BigInteger Deposit = BigInteger.Pow(10, 18) * 1000;

    [Fact]
    public async Task AnvilStopped_TrafficWhileDown_BatchesStayPendingThenEachIsCommittedOnce()
    {
        var audit = new ChainFaultAudit(server);
        var user = await PayingUserAsync(server, 3);
        await TrafficAsync(user, 4, server.Http);
        await audit.AssertEverySealedBatchCommittedOnceAsync();
        var committedBefore = await audit.SealedCountAsync();

        var anvil = ChainFaultProcesses.AnvilOf(server.ProcessId, server.RpcUrl);
        await ChainFaultProcesses.FreezeAsync(anvil);
        try
        {
            // Paid traffic goes on while the endpoint does not answer; its batches are sealed and wait.
            await TrafficAsync(user, 6, server.Http);
            var sealedWhileDown = await audit.SealedCountAsync();
            Assert.True(sealedWhileDown > committedBefore, "no batch was sealed while the chain was down; nothing was tested");
            for (var id = committedBefore; id < sealedWhileDown; id++)
            {
                using var batch = await server.Http.GetAsync($"/v1/batches/{id}");
                Assert.NotEqual("committed", ChainFaultAudit.ChainStatus(JsonDocument.Parse(await batch.Content.ReadAsStringAsync()).RootElement));
            }

            Assert.DoesNotContain((await audit.HealthAsync()).Details, d => d.Component == "chain.submitter");
        }
        finally
        {
            await ChainFaultProcesses.ThawAsync(anvil);
        }

        await TrafficAsync(user, 2, server.Http);
        await audit.AssertEverySealedBatchCommittedOnceAsync();
        await audit.AssertEveryClosedEpochSettledOnChainAsync();
    }

    [Fact]
    public async Task ChainRolledBackDuringTraffic_LostBatchesAndEpochsReportedPendingAndRecommittedOnce()
    {
        var audit = new ChainFaultAudit(server);
        var user = await PayingUserAsync(server, 4);
        await TrafficAsync(user, 2, server.Http);
        await audit.AssertEverySealedBatchCommittedOnceAsync();
        await audit.AssertEveryClosedEpochSettledOnChainAsync();

        var snapshot = await AnvilRpcAsync<string>("evm_snapshot");
        await TrafficAsync(user, 6, server.Http);
        await audit.WaitUntilEverySealedBatchCommittedAsync();
        await audit.AssertEveryClosedEpochSettledOnChainAsync();
        var sealedBeforeRollback = await audit.SealedCountAsync();

        var traffic = TrafficAsync(user, 6, server.Http);
        Assert.True(await AnvilRpcAsync<bool>("evm_revert", snapshot));

        // From the moment the chain went back, the API calls committed only what the chain holds.
        var claimed = await audit.AssertNoClaimTheChainLacksAsync();
        Assert.True(claimed < sealedBeforeRollback, "the rollback took no committed batch away; nothing was tested");
        await traffic;
        await audit.AssertNoClaimTheChainLacksAsync();

        await audit.WaitForHealthAsync(h => h.Details.Contains(("chain.submitter", "lost")) || h.Status == "ok");
        await audit.AssertEverySealedBatchCommittedOnceAsync();
        await audit.AssertEveryClosedEpochSettledOnChainAsync();
        await audit.WaitForHealthAsync(h => h.Status == "ok");
    }

    internal static async Task<BillingApi> PayingUserAsync(ChainFaultServerFixture server, int devAccount)
    {
        var user = new BillingApi(server, devAccount);
        await user.SignInAsync();
        await user.DepositAsync(Deposit);
        return user;
    }

    /// <summary>Paid chats, one after another; every one must be answered in full.</summary>
    /// <summary>
    /// <paramref name="count"/> paid chats (an even number: batches hold two traces), returning once every one of their
    /// traces is sealed into a batch, so the audit that follows sees every batch this traffic makes.
    /// </summary>
    internal static async Task TrafficAsync(BillingApi user, int count, HttpClient http)
    {
        Assert.True(count % 2 == 0, "batches hold two traces; an odd count would leave one unsealed");
        var traces = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await user.ChatAsync(TestModels.Adapter, $"Fault traffic {Guid.NewGuid():N}", 4);
            await BillingApi.Json(response, HttpStatusCode.OK);
            traces.Add(response.Headers.GetValues("OpenLoRA-Trace-Id").Single());
        }

        foreach (var trace in traces)
        {
            await Attribution.TraceApi.WaitForTraceAsync(http, trace, t => t.GetProperty("status").GetString() != "pending");
        }
    }

    private Task<T> AnvilRpcAsync<T>(string method, params object[] parameters) => AnvilRpcAsync<T>(server, method, parameters);

    internal static async Task<T> AnvilRpcAsync<T>(ChainFaultServerFixture server, string method, params object[] parameters)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        using var response = await http.PostAsync(server.RpcUrl, JsonContent(new { jsonrpc = "2.0", id = 1, method, @params = parameters }));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.TryGetProperty("error", out var rpcError), $"{method}: {rpcError}");
        return body.GetProperty("result").Deserialize<T>()!;
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
