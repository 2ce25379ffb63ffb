using Nethereum.Web3;
using OpenLoRA.Attribution.Merkle;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>Attribution batches committed on a real anvil by the server's proof submitter, checked as a validator would.</summary>
[Collection(ChainServerCollection.Name)]
public sealed class ChainCommitTests(ChainServerFixture server)
{
    [Fact]
    public async Task Batch_CommittedByTheServer_ItsRootOnChainVerifiesTheTraceProof()
    {
        var first = (await TraceApi.ChatAsync(server.Http, TestModels.Adapter, "First question?", maxTokens: 8)).TraceId!;
        await TraceApi.ChatAsync(server.Http, TestModels.Adapter, "Second question?", maxTokens: 8);

        var trace = await TraceApi.WaitForTraceAsync(server.Http, first, t => t.GetProperty("status").GetString() == "committed");
        var batch = trace.GetProperty("batch");
        var batchId = (ulong)batch.GetProperty("id").GetInt64();
        var chain = trace.GetProperty("chain");
        Assert.Equal("committed", chain.GetProperty("status").GetString());
        Assert.StartsWith("0x", chain.GetProperty("tx_hash").GetString(), StringComparison.Ordinal);

        // The validator's side: addresses from the deployment record, the root read from the contract.
        var deployment = await ChainDeployment.TryLoadAsync(server.DataDirectory) ?? throw new InvalidOperationException("no deployment record");
        var web3 = new Web3(server.RpcUrl);
        var registry = new AttributionRegistryClient(web3, deployment.RegistryAddress);
        var root = await registry.BatchRootAsync(batchId);
        Assert.Equal(batch.GetProperty("root").GetString(), "0x" + Convert.ToHexStringLower(root));

        var leaf = Bytes(batch.GetProperty("leaf").GetString()!);
        var proof = batch.GetProperty("proof").EnumerateArray().Select(p => Bytes(p.GetString()!)).ToList();
        Assert.True(MerkleTree.Verify(proof, root, leaf));
        Assert.True(await registry.VerifyLeafAsync(batchId, proof, leaf));

        var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(chain.GetProperty("tx_hash").GetString());
        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.Equal(batchId, Assert.Single(AttributionRegistryClient.DecodeBatchCommitted(receipt)).BatchId);

        var stored = await server.Http.GetJsonAsync($"/v1/batches/{batchId}");
        Assert.Equal("committed", stored.GetProperty("chain").GetProperty("status").GetString());
    }

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.AsSpan(2));
}
