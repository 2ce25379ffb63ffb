using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>A paying user of the billing server: an anvil dev account that signs in, deposits OPEN and calls the API.</summary>
internal sealed class BillingApi(BillingServerFixture server, int devAccount)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly EthECKey _key = new(AnvilDevAccounts.PrivateKeys[devAccount]);

    public string Address => _key.GetPublicAddress().ToLowerInvariant();

    public string ApiKey { get; private set; } = "";

    /// <summary>Challenge, EIP-191 signature, API key.</summary>
    public async Task SignInAsync()
    {
        using var challenge = await server.Http.PostAsJsonAsync("/v1/accounts/challenge", new { address = Address });
        var body = await Json(challenge, HttpStatusCode.OK);
        var signature = new EthereumMessageSigner().EncodeUTF8AndSign(body.GetProperty("message").GetString()!, _key);
        using var created = await server.Http.PostAsJsonAsync("/v1/accounts", new
        {
            address = Address,
            challenge_id = body.GetProperty("challenge_id").GetString(),
            signature,
        });
        ApiKey = (await Json(created, HttpStatusCode.Created)).GetProperty("api_key").GetString()!;
    }

    /// <summary>approve + deposit on the escrow, then waits until the server has credited it (confirmations, polling).</summary>
    public async Task DepositAsync(BigInteger amount)
    {
        var deployment = await ChainDeployment.TryLoadAsync(server.DataDirectory) ?? throw new InvalidOperationException("no deployment record");
        var web3 = new Web3(new Account(_key.GetPrivateKey(), AnvilDevAccounts.ChainId), server.RpcUrl);
        var before = BigInteger.Parse((await AccountAsync()).GetProperty("deposited").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        await new InferenceEscrowClient(web3, deployment.EscrowAddress, deployment.TokenAddress).DepositAsync(amount);
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (BigInteger.Parse((await AccountAsync()).GetProperty("deposited").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < before + amount)
        {
            await Task.Delay(PollInterval, deadline.Token);
        }
    }

    public async Task<JsonElement> AccountAsync(int limit = 20)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/account?limit={limit}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using var response = await server.Http.SendAsync(request);
        return await Json(response, HttpStatusCode.OK);
    }

    /// <param name="http">Another client for the server (e.g. one that closes an unread stream at once); the fixture's by default.</param>
    public async Task<HttpResponseMessage> ChatAsync(string model, string prompt, int maxTokens, bool stream = false, bool ignoreEos = true, HttpClient? http = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model,
                messages = new[] { new { role = "user", content = prompt } },
                max_tokens = maxTokens,
                temperature = 0,
                ignore_eos = ignoreEos,
                stream,
                stream_options = stream ? new { include_usage = true } : null,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

        // A stream is read as it arrives, not buffered to its end.
        return await (http ?? server.Http).SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static BigInteger Units(JsonElement value) => BigInteger.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
