using System.Net;
using System.Numerics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nethereum.Web3;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// What the chain fault suite checks after each fault, as a validator would: the API's batches against the registry
/// (read from the chain, not from the server), and the ledger's settled epochs against the escrow.
/// </summary>
internal sealed class ChainFaultAudit(ChainFaultServerFixture server)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Batches sealed so far: one past the newest id GET /v1/batches lists.</summary>
    public async Task<int> SealedCountAsync()
    {
        var list = await server.Http.GetJsonAsync("/v1/batches?limit=1");
        var data = list.GetProperty("data");
        return data.GetArrayLength() == 0 ? 0 : (int)data[0].GetProperty("id").GetInt64() + 1;
    }

    /// <summary>
    /// Every batch the API calls committed is on the chain, with the API's root and in the transaction the API names;
    /// returns how many it calls committed.
    /// </summary>
    public async Task<int> AssertNoClaimTheChainLacksAsync()
    {
        var registry = await RegistryAsync();
        var next = await registry.NextBatchIdAsync();
        var claimed = 0;
        var sealedCount = await SealedCountAsync();
        for (var id = 0; id < sealedCount; id++)
        {
            var batch = await server.Http.GetJsonAsync($"/v1/batches/{id}");
            if (ChainStatus(batch) != "committed")
            {
                continue;
            }

            var chain = batch.GetProperty("chain");
            claimed++;
            Assert.True((ulong)id < next, $"The API calls batch {id} committed but the chain's nextBatchId is {next}.");
            Assert.Equal(batch.GetProperty("root").GetString(), "0x" + Convert.ToHexStringLower(await registry.BatchRootAsync((ulong)id)));
            var receipt = await Web3().Eth.Transactions.GetTransactionReceipt.SendRequestAsync(chain.GetProperty("tx_hash").GetString());
            Assert.True(receipt is not null, $"The API names tx {chain.GetProperty("tx_hash").GetString()} for batch {id}; the chain does not know it.");
            Assert.Equal((ulong)id, Assert.Single(AttributionRegistryClient.DecodeBatchCommitted(receipt)).BatchId);
        }

        return claimed;
    }

    /// <summary>Waits until the API calls every sealed batch committed.</summary>
    public async Task WaitUntilEverySealedBatchCommittedAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (true)
        {
            var sealedCount = await SealedCountAsync();
            var all = true;
            for (var id = sealedCount - 1; id >= 0 && all; id--)
            {
                all = ChainStatus(await server.Http.GetJsonAsync($"/v1/batches/{id}")) == "committed";
            }

            if (all)
            {
                return;
            }

            await Task.Delay(PollInterval, deadline.Token);
        }
    }

    /// <summary>Every sealed batch is on the chain exactly once, in order, with no gap, and the API agrees with it.</summary>
    public async Task AssertEverySealedBatchCommittedOnceAsync()
    {
        await WaitUntilEverySealedBatchCommittedAsync();
        var sealedCount = await SealedCountAsync();
        var deployment = await DeploymentAsync();
        var registry = new AttributionRegistryClient(Web3(), deployment.RegistryAddress);
        // Read from the contract's state and each commit's receipt rather than eth_getLogs, whose history anvil may
        // not serve for blocks it loaded from a state file. The registry accepts only nextBatchId, so ids 0..n-1
        // with nextBatchId = n is every batch once, in order, with no gap.
        Assert.Equal((ulong)sealedCount, await registry.NextBatchIdAsync());
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var id = 0; id < sealedCount; id++)
        {
            var batch = await server.Http.GetJsonAsync($"/v1/batches/{id}");
            var root = batch.GetProperty("root").GetString();
            Assert.Equal(root, "0x" + Convert.ToHexStringLower(await registry.BatchRootAsync((ulong)id)));
            var txHash = batch.GetProperty("chain").GetProperty("tx_hash").GetString()!;
            Assert.True(hashes.Add(txHash), $"batch {id} names the transaction of another batch");
            var receipt = await Web3().Eth.Transactions.GetTransactionReceipt.SendRequestAsync(txHash);
            Assert.NotNull(receipt);
            Assert.Equal(1, (int)receipt.Status.Value);
            var committed = Assert.Single(AttributionRegistryClient.DecodeBatchCommitted(receipt));
            Assert.Equal((ulong)id, committed.BatchId);
            Assert.Equal(root, "0x" + Convert.ToHexStringLower(committed.Root));
        }

        Assert.Equal(sealedCount, await AssertNoClaimTheChainLacksAsync());
    }

    /// <summary>
    /// Waits until every epoch the ledger closed is marked settled, then checks the escrow holds exactly those
    /// (its nextEpoch is their count) and each marked transaction is a successful receipt on the chain.
    /// </summary>
    public async Task AssertEveryClosedEpochSettledOnChainAsync()
    {
        var deployment = await DeploymentAsync();
        var escrow = new InferenceEscrowClient(Web3(), deployment.EscrowAddress, deployment.TokenAddress);
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (true)
        {
            var epochs = ReadEpochs();
            var next = await escrow.NextEpochAsync();
            if (epochs.All(e => e.SettledTx is not null) && next == (ulong)epochs.Count)
            {
                foreach (var (epoch, tx) in epochs)
                {
                    var receipt = await Web3().Eth.Transactions.GetTransactionReceipt.SendRequestAsync(tx);
                    Assert.True(receipt is { Status.Value: var status } && status == BigInteger.One, $"Epoch {epoch} is marked settled by {tx}, which the chain does not hold.");
                }

                return;
            }

            await Task.Delay(PollInterval, deadline.Token);
        }
    }

    /// <summary>Every epoch the ledger marks settled is below the escrow's nextEpoch, in a successful transaction on this chain.</summary>
    public async Task AssertNoEpochClaimTheChainLacksAsync()
    {
        var deployment = await DeploymentAsync();
        var next = await new InferenceEscrowClient(Web3(), deployment.EscrowAddress, deployment.TokenAddress).NextEpochAsync();
        foreach (var (epoch, tx) in ReadEpochs().Where(e => e.SettledTx is not null))
        {
            Assert.True((ulong)epoch < next, $"The ledger marks epoch {epoch} settled but the escrow's nextEpoch is {next}.");
            var receipt = await Web3().Eth.Transactions.GetTransactionReceipt.SendRequestAsync(tx);
            Assert.True(receipt is { Status.Value: var status } && status == BigInteger.One, $"Epoch {epoch} is marked settled by {tx}, which the chain does not hold.");
        }
    }

    /// <summary>GET /health: its status and the components it names as degraded.</summary>
    public async Task<(string Status, IReadOnlyList<(string Component, string Kind)> Details)> HealthAsync()
    {
        using var response = await server.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var details = body.TryGetProperty("details", out var list)
            ? list.EnumerateArray().Select(d => (d.GetProperty("component").GetString()!, d.GetProperty("kind").GetString()!)).ToList()
            : [];
        return (body.GetProperty("status").GetString()!, details);
    }

    /// <summary>Polls /health until <paramref name="until"/> holds.</summary>
    public async Task WaitForHealthAsync(Func<(string Status, IReadOnlyList<(string Component, string Kind)> Details), bool> until)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (!until(await HealthAsync()))
        {
            await Task.Delay(PollInterval, deadline.Token);
        }
    }

    /// <summary>The batch's <c>chain.status</c>; null while the batch is not in the outbox yet (<c>chain</c> is null).</summary>
    public static string? ChainStatus(JsonElement batch) =>
        batch.GetProperty("chain") is { ValueKind: JsonValueKind.Object } chain ? chain.GetProperty("status").GetString() : null;

    public async Task<AttributionRegistryClient> RegistryAsync() => new(Web3(), (await DeploymentAsync()).RegistryAddress);

    private Web3 Web3() => new(server.RpcUrl);

    private async Task<ChainDeployment> DeploymentAsync() =>
        await ChainDeployment.TryLoadAsync(server.DataDirectory) ?? throw new InvalidOperationException("no deployment record");

    private List<(long Epoch, string? SettledTx)> ReadEpochs()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(server.DataDirectory, "openlora.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT epoch, settled_tx_hash FROM billing_epochs ORDER BY epoch";
        using var reader = command.ExecuteReader();
        var epochs = new List<(long, string?)>();
        while (reader.Read())
        {
            epochs.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return epochs;
    }
}
