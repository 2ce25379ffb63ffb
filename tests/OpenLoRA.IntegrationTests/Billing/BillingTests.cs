using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.Json;
using Nethereum.Signer;
using Nethereum.Web3;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Attribution;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>Charging inference in OPEN on the real server, with deposits and epoch settlement on a real anvil.</summary>
[Collection(BillingServerCollection.Name)]
public sealed class BillingTests(BillingServerFixture server)
{
    private const string Prompt = "How much does this cost?";
    private const int MaxTokens = 16;
    private static readonly BigInteger OneOpen = BigInteger.Pow(10, 18);

    [Fact]
    public async Task Chat_WithoutAnApiKey_Returns401()
    {
        using var response = await server.Http.PostAsync(
            "/v1/chat/completions",
            new StringContent($$"""{"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, code: "invalid_api_key");
    }

    [Fact]
    public async Task Chat_AccountWithoutDeposit_Returns402InsufficientQuota()
    {
        var user = new BillingApi(server, devAccount: 4);
        await user.SignInAsync();

        using var response = await user.ChatAsync(TestModels.BaseModel, Prompt, MaxTokens);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.PaymentRequired, code: "insufficient_quota", type: "insufficient_quota");
        Assert.Contains("OPEN", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParallelRequests_AccountFundedForTenAndAHalf_AdmitsExactlyTenAndRefusesTheRestWith402()
    {
        // What one request costs: with ignore_eos it generates exactly max_tokens, so its charge equals its
        // reservation (prompt + max_tokens). Measured with another, well-funded account.
        var probe = new BillingApi(server, devAccount: 3);
        await probe.SignInAsync();
        await probe.DepositAsync(10 * OneOpen);
        using (var first = await probe.ChatAsync(TestModels.BaseModel, Prompt, MaxTokens))
        {
            var usage = (await BillingApi.Json(first, HttpStatusCode.OK)).GetProperty("usage");
            Assert.Equal(MaxTokens, usage.GetProperty("completion_tokens").GetInt32());
            var perRequest = ToUnits(usage.GetProperty("cost").GetString()!);
            Assert.True(perRequest > 0);

            var user = new BillingApi(server, devAccount: 7);
            await user.SignInAsync();
            var deposit = perRequest * 10 + perRequest / 2;
            await user.DepositAsync(deposit);

            var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
            {
                using var response = await user.ChatAsync(TestModels.BaseModel, Prompt, MaxTokens);
                var body = await response.Content.ReadAsStringAsync();
                return (response.StatusCode, body);
            })));

            Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(90, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
            Assert.All(
                responses.Where(r => r.StatusCode == HttpStatusCode.PaymentRequired),
                r => Assert.Equal("insufficient_quota", JsonDocument.Parse(r.body).RootElement.GetProperty("error").GetProperty("code").GetString()));
            Assert.All(
                responses.Where(r => r.StatusCode == HttpStatusCode.OK),
                r => Assert.Equal(perRequest, ToUnits(JsonDocument.Parse(r.body).RootElement.GetProperty("usage").GetProperty("cost").GetString()!)));

            var account = await user.AccountAsync();
            var spent = BillingApi.Units(account.GetProperty("spent")) + BillingApi.Units(account.GetProperty("settled"));
            Assert.Equal(deposit, BillingApi.Units(account.GetProperty("deposited")));
            Assert.Equal(BigInteger.Zero, BillingApi.Units(account.GetProperty("reserved")));
            Assert.Equal(perRequest * 10, spent);
            Assert.Equal(deposit - perRequest * 10, BillingApi.Units(account.GetProperty("balance")));
            Assert.True(BillingApi.Units(account.GetProperty("balance")) >= 0);
        }
    }

    [Fact]
    public async Task Epochs_SettledOnTheEscrow_PayPublisherContributorsAndProtocolExactlyWhatTheLedgerSays()
    {
        var publisher = new PublisherKey();
        var upload = new SignedUpload("billing-story", server.Variant(401), publisher)
        {
            PriceInput = "0.002", PriceOutput = "0.004", ChainId = OpenLoRA.Chain.Anvil.AnvilDevAccounts.ChainId,
        };
        await server.Http.PublishAsync(upload);
        var user = new BillingApi(server, devAccount: 2);
        await user.SignInAsync();
        await user.DepositAsync(100 * OneOpen);

        // The tiny model's output is random bytes; pick a prompt whose completion, as text, tokenizes back into a
        // long enough run of the same tokens, so a Datanet record holding that text is found in the next completion.
        var (prompt, text) = await FindRoundTrippingCompletionAsync(user, "billing-story");
        var author = EthECKey.GenerateKey().GetPublicAddress().ToLowerInvariant();
        var other = EthECKey.GenerateKey().GetPublicAddress().ToLowerInvariant();
        using (var datanet = TraceApi.DatanetUpload("billing-story", upload.Sha256, TraceApi.Jsonl(("story", author, text), ("other", other, "Unrelated words about the weather.")), publisher, chainId: OpenLoRA.Chain.Anvil.AnvilDevAccounts.ChainId))
        using (var attached = await server.Http.SendAsync(datanet))
        {
            await BillingApi.Json(attached, HttpStatusCode.Created);
        }

        string traceId;
        using (var second = await user.ChatAsync("billing-story", prompt, 24, ignoreEos: false))
        {
            traceId = (await BillingApi.Json(second, HttpStatusCode.OK)).GetProperty("trace_id").GetString()!;
        }

        var trace = (await TraceApi.WaitForTraceAsync(server.Http, traceId)).GetProperty("trace");
        Assert.True(trace.GetProperty("contributors").GetArrayLength() > 0, $"completion '{text}', trace {trace.GetRawText()}");
        Assert.Equal(author, trace.GetProperty("contributors")[0].GetProperty("address").GetString());

        // Epochs close every second; wait until nothing is accrued any more, then compare with the escrow.
        var protocol = "0xa0ee7a142d267c1f36714e4a8f75612f20a79720";
        string[] payees = [publisher.Address, author, protocol];
        foreach (var payee in payees)
        {
            await WaitUntilSettledAsync(payee);
        }

        var deployment = await ChainDeployment.TryLoadAsync(server.DataDirectory) ?? throw new InvalidOperationException("no deployment record");
        var escrow = new InferenceEscrowClient(new Web3(server.RpcUrl), deployment.EscrowAddress, deployment.TokenAddress);
        foreach (var payee in payees)
        {
            var ledger = await server.Http.GetJsonAsync($"/v1/payees/{payee}");
            Assert.True(BillingApi.Units(ledger.GetProperty("settled")) > 0, payee);
            Assert.Equal(BillingApi.Units(ledger.GetProperty("settled")), await escrow.EarningsOfAsync(payee));
        }

        var account = await user.AccountAsync();
        Assert.Equal(
            BillingApi.Units(account.GetProperty("deposited")) - BillingApi.Units(account.GetProperty("settled")),
            await escrow.BalanceOfAsync(user.Address));
    }

    private async Task<(string Prompt, string Text)> FindRoundTrippingCompletionAsync(BillingApi user, string model)
    {
        using var tokenizer = OpenLoRA.Engine.Tokens.DatanetTokenizer.Open(server.BaseModelPath);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var prompt = $"Tell me paid story number {attempt}.";
            using var response = await user.ChatAsync(model, prompt, 24, ignoreEos: false);
            var body = await BillingApi.Json(response, HttpStatusCode.OK);
            var text = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            var generated = (await TraceApi.WaitForTraceAsync(server.Http, body.GetProperty("trace_id").GetString()!))
                .GetProperty("completion_token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
            if (LongestCommonRun(generated, tokenizer.Tokenize(text)) >= 8)
            {
                return (prompt, text);
            }
        }

        throw new InvalidOperationException("No completion of 20 prompts round-trips through its text.");
    }

    private static int LongestCommonRun(int[] a, int[] b)
    {
        var best = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = 0; j < b.Length; j++)
            {
                var k = 0;
                while (i + k < a.Length && j + k < b.Length && a[i + k] == b[j + k])
                {
                    k++;
                }

                best = Math.Max(best, k);
            }
        }

        return best;
    }

    [Fact]
    public async Task Models_ShowTheirPrice_TheSameAsThePriceList()
    {
        var prices = (await server.Http.GetJsonAsync("/v1/prices")).GetProperty("data").EnumerateArray().ToList();
        var models = (await server.Http.GetJsonAsync("/v1/models")).GetProperty("data").EnumerateArray().ToList();

        foreach (var model in models)
        {
            var listed = Assert.Single(prices, p => p.GetProperty("model").GetString() == model.GetProperty("id").GetString());
            var price = model.GetProperty("price");
            Assert.Equal(listed.GetProperty("input_per_1k").GetString(), price.GetProperty("input_per_1k").GetString());
            Assert.Equal(listed.GetProperty("output_per_1k").GetString(), price.GetProperty("output_per_1k").GetString());
        }

        // The base model's configured price (1e14 and 2e14 base units per 1K) with the 5% platform fee.
        var baseModel = Assert.Single(models, m => m.GetProperty("id").GetString() == TestModels.BaseModel).GetProperty("price");
        Assert.Equal("105000000000000", baseModel.GetProperty("input_per_1k").GetString());
        Assert.Equal("210000000000000", baseModel.GetProperty("output_per_1k").GetString());
    }

    [Fact]
    public async Task DevelopmentAccount_OnTheLocalChain_HasAFundedKeyInTheDataDirectory()
    {
        var file = Path.Combine(server.DataDirectory, "dev-api-key.txt");
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (!File.Exists(file) || new FileInfo(file).Length == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{TestModels.Adapter}}","messages":[{"role":"user","content":"hi"}],"max_tokens":4}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(file)).Trim());
        using var response = await server.Http.SendAsync(request);

        var usage = (await BillingApi.Json(response, HttpStatusCode.OK)).GetProperty("usage");
        Assert.True(ToUnits(usage.GetProperty("cost").GetString()!) > 0);
    }

    private async Task WaitUntilSettledAsync(string payee)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (true)
        {
            var ledger = await server.Http.GetJsonAsync($"/v1/payees/{payee}");
            if (BillingApi.Units(ledger.GetProperty("accrued")) == 0 && BillingApi.Units(ledger.GetProperty("settled")) > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }
    }

    private static BigInteger ToUnits(string open)
    {
        var parts = open.Split('.');
        var fraction = parts.Length > 1 ? parts[1].PadRight(18, '0') : new string('0', 18);
        return BigInteger.Parse(parts[0] + fraction, CultureInfo.InvariantCulture);
    }
}
