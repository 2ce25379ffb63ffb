using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.Chain.Health;
using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Chain.Tests.Submission;

/// <summary>
/// The chain going back under the submitter: a rollback (evm_revert) and a reset (anvil_reset, then the contracts
/// deployed again). Each test owns its anvil, since both take the whole chain back.
/// </summary>
public sealed class ProofSubmitterChainFaultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RunOnceAsync_ChainRolledBackPastCommittedBatches_ReportsThemPendingAndResubmitsInOrderOnce()
    {
        using var database = new OutboxDatabase();
        await using var anvil = await AnvilProcess.StartAsync(new AnvilOptions());
        var chain = new DevChain(anvil);
        var deployment = await chain.DeployAsync();
        var health = new ChainHealth(TimeProvider.System);
        using var submitter = CreateSubmitter(anvil, deployment, database, health);

        await EnqueueAsync(submitter, 0, 2);
        await DrainAsync(submitter);
        var snapshot = await AnvilRpc.SnapshotAsync(anvil.RpcUrl);
        await EnqueueAsync(submitter, 2, 2);
        await DrainAsync(submitter);
        Assert.Equal("committed", (await submitter.GetCommitStatusAsync(3))!.State);

        await AnvilRpc.RevertAsync(anvil.RpcUrl, snapshot);

        // Before any pass: the API must not call committed what the chain lost.
        Assert.Equal("pending", (await submitter.GetCommitStatusAsync(2))!.State);
        Assert.Null((await submitter.GetCommitStatusAsync(3))!.TransactionHash);
        Assert.Equal("committed", (await submitter.GetCommitStatusAsync(1))!.State);

        await submitter.RunOnceAsync(CancellationToken.None);
        var condition = Assert.Single(health.Conditions);
        Assert.Equal((ChainComponents.Submitter, "lost"), (condition.Component, condition.Kind));

        await EnqueueAsync(submitter, 4, 1);
        await DrainAsync(submitter);

        await AssertChainHoldsOutboxAsync(chain, deployment, submitter, 5);
        Assert.Empty(health.Conditions);
    }

    [Fact]
    public async Task RunOnceAsync_ChainResetThenContractsRedeployed_SendsNothingMeanwhileThenResubmitsEveryBatch()
    {
        using var database = new OutboxDatabase();
        await using var anvil = await AnvilProcess.StartAsync(new AnvilOptions());
        var chain = new DevChain(anvil);
        var deployment = await chain.DeployAsync();
        var health = new ChainHealth(TimeProvider.System);
        using var submitter = CreateSubmitter(anvil, deployment, database, health);
        await EnqueueAsync(submitter, 0, 3);
        await DrainAsync(submitter);

        await AnvilRpc.ResetAsync(anvil.RpcUrl);
        Assert.False(await submitter.RunOnceAsync(CancellationToken.None));

        var condition = Assert.Single(health.Conditions);
        Assert.Equal("no_contract", condition.Kind);
        for (ulong id = 0; id < 3; id++)
        {
            Assert.Equal("pending", (await submitter.GetCommitStatusAsync(id))!.State);
        }

        Assert.Equal(0, (int)(await chain.Web3For(DevChain.SubmitterIndex).Eth.Transactions.GetTransactionCount
            .SendRequestAsync(DevChain.Address(DevChain.SubmitterIndex))).Value);

        // The same deployer on a fresh chain: the same addresses, as the local chain redeploys on start.
        var again = await chain.DeployAsync();
        Assert.Equal(deployment.RegistryAddress, again.RegistryAddress);
        await DrainAsync(submitter);

        await AssertChainHoldsOutboxAsync(chain, again, submitter, 3);
        Assert.Empty(health.Conditions);
    }

    [Fact]
    public async Task NonceOwner_SubmitterAndSettlementSendingConcurrentlyFromOneKey_EveryTransactionLands()
    {
        using var database = new OutboxDatabase();
        await using var anvil = await AnvilProcess.StartAsync(new AnvilOptions());
        var chain = new DevChain(anvil);
        const int key = DevChain.SubmitterIndex;
        var deployment = await new ContractDeployer(chain.Web3For(DevChain.DeployerIndex), DevChain.Address(DevChain.DeployerIndex))
            .DeployAsync(new ContractDeploymentRequest { Operator = DevChain.Address(key), Submitters = [DevChain.Address(key)] });
        var web3 = chain.Web3For(key);
        var nonces = new NonceOwner(web3, DevChain.Address(key));
        var escrow = new InferenceEscrowClient(web3, deployment.EscrowAddress, deployment.TokenAddress, nonces);
        using var submitter = CreateSubmitter(anvil, deployment, database, new ChainHealth(TimeProvider.System), nonces);

        const int batches = 12;
        const int epochs = 12;
        await submitter.StartAsync(CancellationToken.None);
        try
        {
            var enqueue = EnqueueAsync(submitter, 0, batches);
            var settle = Task.Run(async () =>
            {
                for (ulong epoch = 0; epoch < epochs; epoch++)
                {
                    await escrow.SettleEpochAsync(new EpochSettlement(epoch, [], [], Hash($"manifest {epoch}")));
                }
            });
            await Task.WhenAll(enqueue, settle).WaitAsync(Deadline);
            await submitter.WaitUntilCommittedAsync(batches - 1).WaitAsync(Deadline);
        }
        finally
        {
            await submitter.StopAsync(CancellationToken.None);
        }

        Assert.Equal((ulong)epochs, await escrow.NextEpochAsync());
        var registry = new AttributionRegistryClient(web3, deployment.RegistryAddress);
        Assert.Equal((ulong)batches, await registry.NextBatchIdAsync());

        // One nonce per transaction that landed: no transaction replaced another or was lost on a shared nonce.
        var attempts = 0;
        for (ulong id = 0; id < batches; id++)
        {
            attempts += (await new OutboxStore(database.ConnectionString).GetAttemptsAsync(id, CancellationToken.None)).Count;
        }

        Assert.Equal(batches, attempts);
        Assert.Equal(batches + epochs, (int)await nonces.MinedCountAsync());
    }

    private static ProofSubmitter CreateSubmitter(
        AnvilProcess anvil, ChainDeployment deployment, OutboxDatabase database, ChainHealth health, NonceOwner? nonces = null) =>
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
        }, TimeProvider.System, NullLogger<ProofSubmitter>.Instance, nonces, health);

    private static async Task EnqueueAsync(ProofSubmitter submitter, ulong first, int count)
    {
        for (var id = first; id < first + (ulong)count; id++)
        {
            await submitter.EnqueueAsync(id, Hash($"root {id}"), 4, Hash($"manifest {id}"), $"openlora:batch/{id}");
        }
    }

    /// <summary>Passes until one changes nothing and nothing is left unfinished (automine: each send is mined at once).</summary>
    private static async Task DrainAsync(ProofSubmitter submitter)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (await submitter.RunOnceAsync(deadline.Token) || submitter.BacklogCount > 0)
        {
        }
    }

    /// <summary>Every batch on-chain exactly once, in order, with our root, and the outbox's hash is the chain's.</summary>
    private static async Task AssertChainHoldsOutboxAsync(DevChain chain, ChainDeployment deployment, ProofSubmitter submitter, int count)
    {
        var registry = new AttributionRegistryClient(chain.Web3For(DevChain.DeployerIndex), deployment.RegistryAddress);
        Assert.Equal((ulong)count, await registry.NextBatchIdAsync());
        var events = await registry.GetBatchCommittedEventsAsync(deployment.DeployBlock);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (ulong)i), events.Select(e => e.BatchId));
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Hash($"root {i}"), events[i].Root);
            var status = await submitter.GetCommitStatusAsync((ulong)i);
            Assert.Equal("committed", status!.State);
            Assert.Equal(events[i].TransactionHash, status.TransactionHash);
        }
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
