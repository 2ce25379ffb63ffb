using System.Text.Json;
using OpenLoRA.Engine.Adapters.Publishing;

namespace OpenLoRA.Cli.Publishing;

/// <summary>
/// The chain id a server's publisher messages name, read from its <c>GET /v1/chain</c>, so the CLI signs the same text
/// the server rebuilds; a signature for another chain can then never be replayed against this one.
/// </summary>
internal static class ServerChain
{
    /// <returns>The signer's identity for that server, or null with <paramref name="error"/> when it cannot be read.</returns>
    public static async Task<(PublisherIdentity? Identity, string? Error)> IdentityAsync(
        HttpClient http, PublisherSigner signer, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/v1/chain", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"GET /v1/chain answered {(int)response.StatusCode}: {body}");
            }

            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("chain_id", out var id) && id.TryGetUInt64(out var chainId)
                ? (new PublisherIdentity(signer.Address, chainId), null)
                : (null, "GET /v1/chain has no numeric chain_id");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return (null, $"could not read the server's chain id from GET /v1/chain: {ex.Message}");
        }
    }
}
