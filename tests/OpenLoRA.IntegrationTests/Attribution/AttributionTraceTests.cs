using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Nethereum.Signer;
using Nethereum.Util;
using OpenLoRA.Attribution.Merkle;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>Every adapter response is traced, signed, stored and sealed into Merkle batches on the real server.</summary>
[Collection(AttributionServerCollection.Name)]
public sealed class AttributionTraceTests(AttributionServerFixture server)
{
    [Fact]
    public async Task Chat_ThroughAnAdapter_ReturnsATraceIdWhoseSignedTraceVerifies()
    {
        var (body, header) = await TraceApi.ChatAsync(server.Http, TestModels.Adapter);

        Assert.NotNull(header);
        Assert.Equal(header, body.GetProperty("trace_id").GetString());
        var trace = await TraceApi.WaitForTraceAsync(server.Http, header);

        Assert.Equal("attribution.trace", trace.GetProperty("object").GetString());
        Assert.Equal(header, trace.GetProperty("id").GetString());
        var canonical = trace.GetProperty("canonical").GetString()!;
        var hash = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(canonical));
        Assert.Equal("0x" + Convert.ToHexStringLower(hash), trace.GetProperty("trace_hash").GetString());
        Assert.Equal(
            trace.GetProperty("signer").GetString()!.ToLowerInvariant(),
            TraceVerifier.RecoverHashSigner(hash, trace.GetProperty("signature").GetString()!)!.ToLowerInvariant());

        var signed = trace.GetProperty("trace");
        var tokens = trace.GetProperty("completion_token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        Assert.Equal(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), tokens.Length);
        Assert.Equal(tokens.Length, signed.GetProperty("completionTokens").GetInt32());
        Assert.Equal(TraceHashes.Tokens(tokens), signed.GetProperty("generatedTokensHash").GetString());
        var adapter = await server.Http.GetJsonAsync($"/v1/adapters/{TestModels.Adapter}");
        Assert.Equal("0x" + adapter.GetProperty("sha256").GetString(), signed.GetProperty("adapterSha256").GetString());
        Assert.Equal(JsonValueKind.Null, signed.GetProperty("datanetRoot").ValueKind);
        Assert.Equal("none", signed.GetProperty("method").GetProperty("basis").GetString());
        Assert.Equal("OPEN", signed.GetProperty("charge").GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Chat_OnTheBaseModel_HasNoTrace()
    {
        var (body, header) = await TraceApi.ChatAsync(server.Http, TestModels.BaseModel);

        Assert.Null(header);
        Assert.False(body.TryGetProperty("trace_id", out _));
    }

    [Fact]
    public async Task GetTrace_Unknown_Returns404()
    {
        using var response = await server.Http.GetAsync($"/v1/traces/{new string('a', 32)}");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, code: "trace_not_found");
    }

    [Fact]
    public async Task Traces_SealedIntoBatches_HaveProofsThatVerifyAgainstTheBatchRoot()
    {
        // Batches take two traces in storage order; at most one trace of another test is still waiting, so of four
        // new traces at least the first three are sealed.
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await TraceApi.ChatAsync(server.Http, TestModels.Adapter, $"Question number {i}?", maxTokens: 8)).TraceId!);
        }

        foreach (var id in ids.Take(3))
        {
            var trace = await TraceApi.WaitForTraceAsync(server.Http, id, t => t.GetProperty("status").GetString() == "batched");
            var batch = trace.GetProperty("batch");
            var root = Bytes(batch.GetProperty("root").GetString()!);
            var leaf = Bytes(batch.GetProperty("leaf").GetString()!);
            var proof = batch.GetProperty("proof").EnumerateArray().Select(p => Bytes(p.GetString()!)).ToList();
            var traceHash = Bytes(trace.GetProperty("trace_hash").GetString()!);

            Assert.Equal(MerkleTree.LeafHash(traceHash), leaf);
            Assert.True(MerkleTree.Verify(proof, root, leaf));
            Assert.Single(proof);
            proof[0][0] ^= 1;
            Assert.False(MerkleTree.Verify(proof, root, leaf));

            var stored = await server.Http.GetJsonAsync($"/v1/batches/{batch.GetProperty("id").GetInt64()}");
            Assert.Equal("attribution.batch", stored.GetProperty("object").GetString());
            Assert.Equal(batch.GetProperty("root").GetString(), stored.GetProperty("root").GetString());
            Assert.Equal(AttributionServerFixture.BatchSize, stored.GetProperty("count").GetInt32());
            var leaves = stored.GetProperty("leaves").EnumerateArray().Select(l => l.GetString()!).ToList();
            Assert.Contains(trace.GetProperty("trace_hash").GetString(), leaves);
            Assert.Equal(batch.GetProperty("root").GetString(), MerkleTree.Build(leaves).RootHex);
        }
    }

    [Fact]
    public async Task GetBatch_UnknownOrMalformed_Returns404Or400()
    {
        using var unknown = await server.Http.GetAsync("/v1/batches/999999");
        using var malformed = await server.Http.GetAsync("/v1/batches/-1");

        await ErrorAssert.IsErrorAsync(unknown, HttpStatusCode.NotFound, code: "batch_not_found");
        await ErrorAssert.IsErrorAsync(malformed, HttpStatusCode.BadRequest, code: "invalid_value");
    }

    [Fact]
    public async Task Datanet_AttachedByThePublisher_AttributesAMatchingCompletionToItsContributor()
    {
        var key = new PublisherKey();
        var upload = new SignedUpload("datanet-story", server.Variant(301), key) { PriceInput = "0.002", PriceOutput = "0.004" };
        await server.Http.PublishAsync(upload);
        const string prompt = "Tell me the story again.";
        var (first, firstId) = await TraceApi.ChatAsync(server.Http, "datanet-story", prompt, maxTokens: 24);
        var text = first.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var author = EthECKey.GenerateKey().GetPublicAddress();
        var other = EthECKey.GenerateKey().GetPublicAddress();
        var jsonl = TraceApi.Jsonl(("story-1", author, text), ("other-1", other, "A completely different record about mountains and rivers."));

        using var request = TraceApi.DatanetUpload("datanet-story", upload.Sha256, jsonl, key);
        using var response = await server.Http.SendAsync(request);
        var attached = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.StatusCode == HttpStatusCode.Created, attached.GetRawText());
        Assert.Equal(2, attached.GetProperty("records").GetInt32());
        Assert.Equal(2, attached.GetProperty("contributors").GetInt32());

        // Greedy decoding repeats the completion, which now occurs in the Datanet.
        var (second, secondId) = await TraceApi.ChatAsync(server.Http, "datanet-story", prompt, maxTokens: 24);
        Assert.Equal(text, second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var trace = (await TraceApi.WaitForTraceAsync(server.Http, secondId!)).GetProperty("trace");

        Assert.Equal(attached.GetProperty("index_root").GetString(), trace.GetProperty("datanetRoot").GetString());
        Assert.Equal("spans", trace.GetProperty("method").GetProperty("basis").GetString());
        Assert.NotEmpty(trace.GetProperty("spans").EnumerateArray());
        var top = trace.GetProperty("contributors")[0];
        Assert.Equal(author.ToLowerInvariant(), top.GetProperty("address").GetString());
        Assert.Equal(1_000_000, trace.GetProperty("contributors").EnumerateArray().Sum(c => c.GetProperty("ppm").GetInt32()));
        Assert.Equal(key.Address, trace.GetProperty("publisher").GetString());

        // The charge: the publisher's prices per 1,000 tokens, in OPEN base units (18 decimals).
        var usage = second.GetProperty("usage");
        var open = (usage.GetProperty("prompt_tokens").GetInt32() * 0.002m + usage.GetProperty("completion_tokens").GetInt32() * 0.004m) / 1000m;
        Assert.Equal(decimal.Floor(open * 1_000_000_000_000_000_000m).ToString("0", CultureInfo.InvariantCulture), trace.GetProperty("charge").GetProperty("amount").GetString());

        // The trace before the Datanet existed keeps its own (empty) attribution.
        var before = (await TraceApi.WaitForTraceAsync(server.Http, firstId!)).GetProperty("trace");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("datanetRoot").ValueKind);

        // A validator with the Datanet and the base model re-runs everything with `openlora verify`. One more
        // traced response makes sure the trace is sealed (batches of two), so its Merkle proof is checked too.
        await TraceApi.ChatAsync(server.Http, TestModels.Adapter, "One more.", maxTokens: 4);
        var sealedTrace = await TraceApi.WaitForTraceAsync(server.Http, secondId!, t => t.GetProperty("status").GetString() == "batched");
        var datanetFile = Path.Combine(server.Folder("datanet-story"), "datanet.jsonl");
        await File.WriteAllTextAsync(datanetFile, jsonl);
        var verify = await CliRun.StartAsync(
            ["verify", secondId!, "--server", server.BaseAddress.ToString(), "--datanet", datanetFile, "--model", server.BaseModelPath,
             "--signer", sealedTrace.GetProperty("signer").GetString()!]);

        Assert.True(verify.ExitCode == 0, $"exit {verify.ExitCode}: {verify.Errors}{verify.Output}");
        Assert.DoesNotContain("FAIL", verify.Output, StringComparison.Ordinal);

        // The same check against a Datanet whose contributor record was changed fails.
        var forged = Path.Combine(server.Folder("datanet-story"), "forged.jsonl");
        await File.WriteAllTextAsync(forged, TraceApi.Jsonl(("story-1", other, text), ("other-1", author, "A completely different record about mountains and rivers.")));
        var refused = await CliRun.StartAsync(["verify", secondId!, "--server", server.BaseAddress.ToString(), "--datanet", forged, "--model", server.BaseModelPath]);
        Assert.Equal(1, refused.ExitCode);
    }

    [Fact]
    public async Task Datanet_RefusedUploads_AnswerWithClearErrors()
    {
        var key = new PublisherKey();
        var upload = new SignedUpload("datanet-refusals", server.Variant(302), key);
        await server.Http.PublishAsync(upload);
        var good = TraceApi.Jsonl(("r1", EthECKey.GenerateKey().GetPublicAddress(), "Some text for the record."));

        using (var unsigned = TraceApi.DatanetUpload("datanet-refusals", upload.Sha256, good, key: null))
        {
            await ErrorAssert.IsErrorAsync(await server.Http.SendAsync(unsigned), HttpStatusCode.Unauthorized, code: "missing_signature");
        }

        using (var stranger = TraceApi.DatanetUpload("datanet-refusals", upload.Sha256, good, new PublisherKey()))
        {
            await ErrorAssert.IsErrorAsync(await server.Http.SendAsync(stranger), HttpStatusCode.Forbidden, code: "not_publisher");
        }

        using (var folder = TraceApi.DatanetUpload(TestModels.Adapter, new string('0', 64), good, key))
        {
            var status = (await server.Http.SendAsync(folder)).StatusCode;
            Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, status.ToString());
        }

        using (var malformed = TraceApi.DatanetUpload("datanet-refusals", upload.Sha256, "{\"id\":\"r1\",\"contributor\":\"not-an-address\",\"text\":\"x\"}", key))
        {
            var error = await ErrorAssert.IsErrorAsync(await server.Http.SendAsync(malformed), HttpStatusCode.BadRequest, code: "invalid_datanet");
            Assert.Contains("line 1", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        using (var unknown = TraceApi.DatanetUpload("no-such-adapter", upload.Sha256, good, key))
        {
            await ErrorAssert.IsErrorAsync(await server.Http.SendAsync(unknown), HttpStatusCode.NotFound, code: "adapter_not_found");
        }
    }

    [Fact]
    public async Task Accounts_WithBillingOff_Answer404BillingDisabledAndPricesStillList()
    {
        using var account = await server.Http.GetAsync("/v1/account");
        using var challenge = await server.Http.PostAsync("/v1/accounts/challenge", new StringContent("{}", Encoding.UTF8, "application/json"));

        await ErrorAssert.IsErrorAsync(account, HttpStatusCode.NotFound, code: "billing_disabled");
        await ErrorAssert.IsErrorAsync(challenge, HttpStatusCode.NotFound, code: "billing_disabled");
        var prices = (await server.Http.GetJsonAsync("/v1/prices")).GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(prices, p => p.GetProperty("model").GetString() == TestModels.Adapter);
    }

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.AsSpan(2));
}
