using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;

namespace OpenLoRA.Chain.Tests.Clients;

[Collection(AnvilCollection.Name)]
public sealed class AttributionRegistryClientTests(AnvilFixture fixture)
{
    [Fact]
    public async Task CommitBatchAsync_ThreeSequentialBatches_RootsAndEventsReadBack()
    {
        var deployment = await fixture.DeployAsync();
        var registry = SubmitterRegistry(deployment);
        var roots = Enumerable.Range(0, 3).Select(i => Hash($"root {i}")).ToArray();

        for (var i = 0; i < roots.Length; i++)
        {
            Assert.Equal((ulong)i, await registry.NextBatchIdAsync());
            await registry.CommitBatchAsync((ulong)i, roots[i], (uint)(10 + i), Hash($"manifest {i}"), $"openlora://batches/{i}");
        }

        Assert.Equal(3UL, await registry.NextBatchIdAsync());
        for (var i = 0; i < roots.Length; i++)
        {
            Assert.Equal(roots[i], await registry.BatchRootAsync((ulong)i));
            var info = await registry.BatchInfoAsync((ulong)i);
            Assert.Equal((uint)(10 + i), info.Count);
            Assert.Equal(Hash($"manifest {i}"), info.ManifestHash);
        }

        var events = await registry.GetBatchCommittedEventsAsync(deployment.DeployBlock);
        Assert.Equal([0UL, 1UL, 2UL], events.Select(e => e.BatchId));
        Assert.All(events, e => Assert.Equal(AnvilFixture.Address(AnvilFixture.SubmitterIndex), e.Submitter, ignoreCase: true));
        Assert.Equal("openlora://batches/1", events[1].Uri);

        var one = Assert.Single(await registry.GetBatchCommittedEventsAsync(deployment.DeployBlock, batchId: 2));
        Assert.Equal(roots[2], one.Root);
        Assert.Equal((await registry.BatchInfoAsync(2)).CommittedBlock, one.BlockNumber);
    }

    [Fact]
    public async Task VerifyLeafAsync_ProofFromValidatorTree_VerifiesOnChainAndOffChain()
    {
        var deployment = await fixture.DeployAsync();
        var registry = SubmitterRegistry(deployment);
        var traces = Enumerable.Range(0, 5).Select(i => Hash($"trace {i}")).ToArray();
        var tree = new SortedPairMerkleTree(traces);
        await registry.CommitBatchAsync(0, tree.Root, (uint)traces.Length, Hash("manifest"), "openlora://batches/0");

        // A validator reads the root from the chain, not from the submitter.
        var validator = new AttributionRegistryClient(fixture.Web3For(7), deployment.RegistryAddress);
        var chainRoot = await validator.BatchRootAsync(0);
        for (var i = 0; i < traces.Length; i++)
        {
            var proof = tree.Proof(i);
            Assert.True(await validator.VerifyLeafAsync(0, proof, tree.Leaves[i]));
            Assert.Equal(chainRoot, SortedPairMerkleTree.ProcessProof(proof, tree.Leaves[i]));
        }

        var forged = SortedPairMerkleTree.LeafHash(Hash("not in the batch"));
        Assert.False(await validator.VerifyLeafAsync(0, tree.Proof(1), forged));
        Assert.NotEqual(chainRoot, SortedPairMerkleTree.ProcessProof(tree.Proof(1), forged));
        Assert.False(await validator.VerifyLeafAsync(1, tree.Proof(1), tree.Leaves[1]));
    }

    [Fact]
    public async Task CommitBatchAsync_NotASubmitter_RevertsWithNotSubmitter()
    {
        var deployment = await fixture.DeployAsync();
        var outsider = new AttributionRegistryClient(fixture.Web3For(6), deployment.RegistryAddress);

        var error = await Assert.ThrowsAsync<ContractRevertException>(
            () => outsider.CommitBatchAsync(0, Hash("root"), 1, Hash("manifest"), "uri"));

        Assert.Equal("NotSubmitter", error.ErrorName);
        Assert.Equal(0UL, await outsider.NextBatchIdAsync());
    }

    [Fact]
    public async Task CommitBatchAsync_BatchIdAhead_RevertsWithUnexpectedBatchId()
    {
        var deployment = await fixture.DeployAsync();
        var registry = SubmitterRegistry(deployment);
        await registry.CommitBatchAsync(0, Hash("root 0"), 1, Hash("manifest"), "uri");

        var error = await Assert.ThrowsAsync<ContractRevertException>(
            () => registry.CommitBatchAsync(2, Hash("root 2"), 1, Hash("manifest"), "uri"));

        Assert.Equal("UnexpectedBatchId", error.ErrorName);
        Assert.Equal([new BigInteger(1), new BigInteger(2)], error.Arguments.Cast<BigInteger>());
        Assert.Equal(1UL, await registry.NextBatchIdAsync());
    }

    [Fact]
    public async Task CommitBatchAsync_DuplicateBatchId_RevertsAndKeepsTheFirstRoot()
    {
        var deployment = await fixture.DeployAsync();
        var registry = SubmitterRegistry(deployment);
        await registry.CommitBatchAsync(0, Hash("first"), 1, Hash("manifest"), "uri");

        var error = await Assert.ThrowsAsync<ContractRevertException>(
            () => registry.CommitBatchAsync(0, Hash("second"), 1, Hash("manifest"), "uri"));

        Assert.Equal("UnexpectedBatchId", error.ErrorName);
        Assert.Equal(Hash("first"), await registry.BatchRootAsync(0));
        Assert.Single(await registry.GetBatchCommittedEventsAsync(deployment.DeployBlock));
    }

    [Fact]
    public async Task AddSubmitterAsync_NotTheOwner_Reverts()
    {
        var deployment = await fixture.DeployAsync();
        var notOwner = new AttributionRegistryClient(fixture.Web3For(AnvilFixture.SubmitterIndex), deployment.RegistryAddress);

        var error = await Assert.ThrowsAsync<ContractRevertException>(() => notOwner.AddSubmitterAsync(AnvilFixture.Address(6)));

        Assert.Equal("OwnableUnauthorizedAccount", error.ErrorName);
        Assert.False(await notOwner.IsSubmitterAsync(AnvilFixture.Address(6)));
        Assert.True(await notOwner.IsSubmitterAsync(AnvilFixture.Address(AnvilFixture.SubmitterIndex)));
    }

    [Fact]
    public async Task RemoveSubmitterAsync_RemovedSubmitter_CanNoLongerCommit()
    {
        var deployment = await fixture.DeployAsync();
        var owner = new AttributionRegistryClient(fixture.Web3For(AnvilFixture.DeployerIndex), deployment.RegistryAddress);
        await owner.RemoveSubmitterAsync(AnvilFixture.Address(AnvilFixture.SubmitterIndex));

        var error = await Assert.ThrowsAsync<ContractRevertException>(
            () => SubmitterRegistry(deployment).CommitBatchAsync(0, Hash("root"), 1, Hash("manifest"), "uri"));

        Assert.Equal("NotSubmitter", error.ErrorName);
    }

    private AttributionRegistryClient SubmitterRegistry(ChainDeployment deployment) =>
        new(fixture.Web3For(AnvilFixture.SubmitterIndex), deployment.RegistryAddress);

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
