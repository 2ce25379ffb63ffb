using Nethereum.Web3;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Clients;

namespace OpenLoRA.Chain.Tests.Anvil;

public sealed class AnvilProcessTests
{
    [Fact]
    public async Task RestartAsync_WithStateFile_SamePortAndChainIntact()
    {
        // This test owns its anvil (not the collection fixture) because it stops and restarts it; `await using`
        // still kills it when an assertion fails.
        var stateDirectory = Directory.CreateTempSubdirectory("openlora-anvil-");
        try
        {
            await using var anvil = await AnvilProcess.StartAsync(new AnvilOptions { StatePath = Path.Combine(stateDirectory.FullName, "state.json") });
            var fixture = new DevChain(anvil);
            var deployment = await fixture.DeployAsync();
            var registry = new AttributionRegistryClient(fixture.Web3For(AnvilFixture.SubmitterIndex), deployment.RegistryAddress);
            var root = new byte[32];
            root[31] = 7;
            var committed = await registry.CommitBatchAsync(0, root, 3, new byte[32], "uri");
            var port = anvil.Port;

            await anvil.StopAsync();
            Assert.False(anvil.IsRunning);
            await Assert.ThrowsAnyAsync<Exception>(() => registry.NextBatchIdAsync());

            await anvil.RestartAsync();

            Assert.Equal(port, anvil.Port);
            Assert.Equal(1UL, await registry.NextBatchIdAsync());
            Assert.Equal(root, await registry.BatchRootAsync(0));
            var logged = Assert.Single(await registry.GetBatchCommittedEventsAsync(deployment.DeployBlock));
            Assert.Equal(committed.TransactionHash, logged.TransactionHash);
            await registry.CommitBatchAsync(1, root, 1, new byte[32], "uri");
            Assert.Equal(2UL, await registry.NextBatchIdAsync());
        }
        finally
        {
            stateDirectory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_DevKeys_MatchTheAccountsAnvilFunds()
    {
        await using var anvil = await AnvilProcess.StartAsync();
        var accounts = await new Web3(anvil.RpcUrl).Eth.Accounts.SendRequestAsync();

        Assert.Equal(AnvilDevAccounts.Addresses, accounts, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(AnvilDevAccounts.ChainId, (ulong)(await new Web3(anvil.RpcUrl).Eth.ChainId.SendRequestAsync()).Value);
    }

    [Fact]
    public async Task Dispose_RunningAnvil_ProcessGoneAndPortClosed()
    {
        var anvil = await AnvilProcess.StartAsync();
        var url = anvil.RpcUrl;

        anvil.Dispose();

        Assert.False(anvil.IsRunning);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => new HttpClient().PostAsync(url, new StringContent("{}")));
    }
}
