using System.Net.Http.Json;
using System.Text.Json;

namespace OpenLoRA.Chain.Tests;

/// <summary>anvil's test-only JSON-RPC methods (snapshot, revert, reset) that AnvilProcess does not wrap.</summary>
internal static class AnvilRpc
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>evm_snapshot: the id to revert to.</summary>
    public static async Task<string> SnapshotAsync(string rpcUrl) => (await CallAsync(rpcUrl, "evm_snapshot", [])).GetString()!;

    /// <summary>evm_revert: the chain goes back to the snapshot, as a reorg would take its later blocks away.</summary>
    public static async Task RevertAsync(string rpcUrl, string snapshot) =>
        Assert.True((await CallAsync(rpcUrl, "evm_revert", [snapshot])).GetBoolean(), "evm_revert refused the snapshot");

    /// <summary>anvil_reset: a fresh, empty chain on the same endpoint (every contract and balance gone).</summary>
    public static Task ResetAsync(string rpcUrl) => CallAsync(rpcUrl, "anvil_reset", []);

    private static async Task<JsonElement> CallAsync(string rpcUrl, string method, object[] parameters)
    {
        using var response = await Http.PostAsJsonAsync(rpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method}: {error}");
        }

        return document.RootElement.GetProperty("result").Clone();
    }
}
