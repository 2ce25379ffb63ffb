using System.Globalization;
using Nethereum.Web3;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>
/// The local dev chain never outlives its server: SIGKILL of the server process alone (not its process tree) used to
/// leave anvil running on the state file, the next start ran a second anvil beside it, and a committed batch vanished
/// when the two overwrote each other's state.
/// </summary>
[Collection(ChainCrashServerCollection.Name)]
public sealed class LocalChainLifetimeTests(ChainCrashServerFixture server)
{
    [Fact]
    public async Task Kill9_OfTheServerProcessOnly_TheChainExitsWithItAndTheCommittedBatchSurvivesTheRestart()
    {
        var first = (await TraceApi.ChatAsync(server.Http, TestModels.Adapter, "First question?", maxTokens: 8)).TraceId!;
        await TraceApi.ChatAsync(server.Http, TestModels.Adapter, "Second question?", maxTokens: 8);
        var trace = await TraceApi.WaitForTraceAsync(server.Http, first, t => t.GetProperty("status").GetString() == "committed");
        var batchId = (ulong)trace.GetProperty("batch").GetProperty("id").GetInt64();
        var root = trace.GetProperty("batch").GetProperty("root").GetString();
        var statePath = Path.Combine(server.DataDirectory, "anvil-state.json");
        var before = ProcessesOn(statePath);
        Assert.NotEmpty(before);

        await server.KillServerOnlyAsync();

        using (var deadline = new CancellationTokenSource(TestTimeouts.ServerStart))
        {
            while (before.Any(IsAlive))
            {
                // Polls another program's exit (nothing to await); fails at the deadline.
                await Task.Delay(100, deadline.Token);
            }
        }

        await server.StartAgainAsync();

        var after = ProcessesOn(statePath);
        Assert.NotEmpty(after);
        Assert.Empty(after.Intersect(before));
        var deployment = await ChainDeployment.TryLoadAsync(server.DataDirectory) ?? throw new InvalidOperationException("no deployment record");
        var registry = new AttributionRegistryClient(new Web3(server.RpcUrl), deployment.RegistryAddress);
        Assert.Equal(root, "0x" + Convert.ToHexStringLower(await registry.BatchRootAsync(batchId)));
        Assert.True(await registry.NextBatchIdAsync() > batchId);
    }

    /// <summary>Every process whose arguments run on <paramref name="statePath"/> (anvil and its guard).</summary>
    private static List<int> ProcessesOn(string statePath)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (arguments.Zip(arguments.Skip(1)).Any(pair => pair is ("--state", var path) && path == statePath) && IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while listed.
            }
        }

        return found;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
