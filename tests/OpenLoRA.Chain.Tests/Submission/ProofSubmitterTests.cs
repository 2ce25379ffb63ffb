using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Chain.Tests.Submission;

[Collection(AnvilCollection.Name)]
public sealed class ProofSubmitterTests(AnvilFixture fixture)
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RunOnceAsync_DisposedBetweenBroadcastAndReceipt_NewInstanceCommitsEachBatchOnce()
    {
        var deployment = await fixture.DeployAsync();
        using var database = new OutboxDatabase();
        await fixture.Anvil.SetAutomineAsync(false);
        string firstHash;
        try
        {
            using (var first = CreateSubmitter(fixture.Anvil, deployment, database, TimeProvider.System))
            {
                await EnqueueAsync(first, 0, 3);
                await first.RunOnceAsync(CancellationToken.None);
                firstHash = Assert.Single(await AttemptsAsync(database, 0)).TransactionHash;
            }

            await fixture.Anvil.SetAutomineAsync(true);
            await fixture.Anvil.MineAsync();
        }
        finally
        {
            await fixture.Anvil.SetAutomineAsync(true);
        }

        using var second = CreateSubmitter(fixture.Anvil, deployment, database, TimeProvider.System);
        await second.StartAsync(CancellationToken.None);
        var committed0 = await second.WaitUntilCommittedAsync(0).WaitAsync(_deadline);
        await second.WaitUntilCommittedAsync(2).WaitAsync(_deadline);
        await second.StopAsync(CancellationToken.None);

        Assert.Equal(firstHash, committed0.TransactionHash);
        await AssertCommittedOnceEachAsync(deployment, 3);
        Assert.Equal(0, second.BacklogCount);
    }

    [Fact]
    public async Task RunOnceAsync_PersistedButNeverBroadcast_NewInstanceBroadcastsTheSameTransaction()
    {
        var deployment = await fixture.DeployAsync();
        using var database = new OutboxDatabase();
        using (var crashed = CreateSubmitter(fixture.Anvil, deployment, database, TimeProvider.System, broadcast: false))
        {
            await EnqueueAsync(crashed, 0, 2);
            await crashed.RunOnceAsync(CancellationToken.None);
        }

        var persisted = Assert.Single(await AttemptsAsync(database, 0));
        using var restarted = CreateSubmitter(fixture.Anvil, deployment, database, TimeProvider.System);
        await restarted.StartAsync(CancellationToken.None);
        var committed0 = await restarted.WaitUntilCommittedAsync(0).WaitAsync(_deadline);
        await restarted.WaitUntilCommittedAsync(1).WaitAsync(_deadline);
        await restarted.StopAsync(CancellationToken.None);

        Assert.Equal(persisted.TransactionHash, committed0.TransactionHash);
        Assert.Single(await AttemptsAsync(database, 0));
        await AssertCommittedOnceEachAsync(deployment, 2);
    }

    [Fact]
    public async Task RunOnceAsync_UnminedPastResendAfter_ReplacesOnSameNonceWithBumpedFees()
    {
        var deployment = await fixture.DeployAsync();
        using var database = new OutboxDatabase();
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        using var submitter = CreateSubmitter(fixture.Anvil, deployment, database, clock);
        await EnqueueAsync(submitter, 0, 1);
        await fixture.Anvil.SetAutomineAsync(false);
        try
        {
            await submitter.RunOnceAsync(CancellationToken.None);
            clock.Now += TimeSpan.FromMinutes(1);
            await submitter.RunOnceAsync(CancellationToken.None);
            await fixture.Anvil.MineAsync();
        }
        finally
        {
            await fixture.Anvil.SetAutomineAsync(true);
        }

        var attempts = await AttemptsAsync(database, 0);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].Nonce, attempts[1].Nonce);
        Assert.True(attempts[1].MaxFeePerGas * 8 >= attempts[0].MaxFeePerGas * 9);
        Assert.True(attempts[1].MaxPriorityFeePerGas * 8 >= attempts[0].MaxPriorityFeePerGas * 9);

        while (await submitter.RunOnceAsync(CancellationToken.None))
        {
        }

        var committed = await submitter.WaitUntilCommittedAsync(0).WaitAsync(_deadline);
        Assert.Equal(attempts[1].TransactionHash, committed.TransactionHash);
        await AssertCommittedOnceEachAsync(deployment, 1);
    }

    [Fact]
    public async Task ExecuteAsync_AnvilStoppedAndRestarted_BacklogDrainsEachBatchOnce()
    {
        // Owns its anvil because it stops and restarts it; `await using` kills it when an assertion fails.
        using var database = new OutboxDatabase();
        await using var anvil = await AnvilProcess.StartAsync(new AnvilOptions { StatePath = Path.Combine(database.Directory, "anvil-state.json") });
        var chain = new DevChain(anvil);
        var deployment = await chain.DeployAsync();
        using var submitter = CreateSubmitter(anvil, deployment, database, TimeProvider.System);
        await submitter.StartAsync(CancellationToken.None);
        try
        {
            await EnqueueAsync(submitter, 0, 2);
            await submitter.WaitUntilCommittedAsync(1).WaitAsync(_deadline);

            await anvil.StopAsync();
            await EnqueueAsync(submitter, 2, 3);
            Assert.Equal(3, submitter.BacklogCount);

            await anvil.RestartAsync();
            await submitter.WaitUntilCommittedAsync(4).WaitAsync(_deadline);
        }
        finally
        {
            await submitter.StopAsync(CancellationToken.None);
        }

        Assert.Equal(0, submitter.BacklogCount);
        var registry = new AttributionRegistryClient(chain.Web3For(DevChain.DeployerIndex), deployment.RegistryAddress);
        var events = await registry.GetBatchCommittedEventsAsync(deployment.DeployBlock);
        Assert.Equal([0UL, 1UL, 2UL, 3UL, 4UL], events.Select(e => e.BatchId));
        Assert.Equal(5UL, await registry.NextBatchIdAsync());
    }

    private static ProofSubmitter CreateSubmitter(
        AnvilProcess anvil, ChainDeployment deployment, OutboxDatabase database, TimeProvider time, bool broadcast = true) =>
        new(new ProofSubmitterOptions
        {
            RpcUrl = anvil.RpcUrl,
            ChainId = AnvilDevAccounts.ChainId,
            RegistryAddress = deployment.RegistryAddress,
            SubmitterPrivateKey = AnvilDevAccounts.PrivateKeys[DevChain.SubmitterIndex],
            ConnectionString = database.ConnectionString,
            Confirmations = 1,
            ResendAfter = TimeSpan.FromSeconds(30),
            PollInterval = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            BroadcastAfterPersist = broadcast,
        }, time, NullLogger<ProofSubmitter>.Instance);

    private static async Task EnqueueAsync(ProofSubmitter submitter, ulong first, int count)
    {
        for (var id = first; id < first + (ulong)count; id++)
        {
            await submitter.EnqueueAsync(id, Hash($"root {id}"), 4, Hash($"manifest {id}"), $"openlora://batches/{id}");
        }
    }

    private static Task<IReadOnlyList<OutboxAttempt>> AttemptsAsync(OutboxDatabase database, ulong batchId) =>
        new OutboxStore(database.ConnectionString).GetAttemptsAsync(batchId, CancellationToken.None);

    private async Task AssertCommittedOnceEachAsync(ChainDeployment deployment, int count)
    {
        var registry = new AttributionRegistryClient(fixture.Web3For(DevChain.DeployerIndex), deployment.RegistryAddress);
        var events = await registry.GetBatchCommittedEventsAsync(deployment.DeployBlock);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (ulong)i), events.Select(e => e.BatchId));
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Hash($"root {i}"), events[i].Root);
        }
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
