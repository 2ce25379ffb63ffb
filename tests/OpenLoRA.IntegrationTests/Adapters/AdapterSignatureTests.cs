using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>Who may publish and delete: signatures, their freshness, replay and ownership of names.</summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterSignatureTests(AdapterServerFixture server)
{
    /// <summary>The order of secp256k1, for making the high-s twin of a signature.</summary>
    private static readonly BigInteger CurveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber);

    [Fact]
    public async Task Upload_SignedOverTheDocumentedMessageText_Returns201()
    {
        var key = new PublisherKey();
        var upload = new SignedUpload("documented-format", server.Variant(401), key) { PriceInput = "0.0010", PriceOutput = "2" };
        var documented = "OpenLoRA adapter upload\n"
            + $"publisher: {key.Address}\n"
            + "chain_id: 0\n"
            + $"sha256: {upload.Sha256}\n"
            + "name: documented-format\n"
            + $"base_model: {TestModels.BaseModel}\n"
            + "price_input_per_1k: 0.0010\n"
            + "price_output_per_1k: 2\n"
            + $"timestamp: {upload.Timestamp}";

        var adapter = await server.Http.PublishAsync(upload with { MessageOverride = documented });

        Assert.Equal(key.Address, adapter.GetProperty("publisher").GetString());
    }

    /// <summary>
    /// Texts a client might sign that differ from the one the server rebuilds from the request. Before publishers
    /// were named in the text, each of these was accepted and published under whatever address the signature
    /// happened to recover to.
    /// </summary>
    public static TheoryData<string> MisspelledTexts() =>
    [
        "upper-case sha256",
        "timestamp with a leading zero",
        "another chain id",
        "checksum-cased publisher",
        "the old text without publisher and chain",
        "price re-spelled",
        "trailing newline",
    ];

    [Theory]
    [MemberData(nameof(MisspelledTexts))]
    public async Task Upload_SignatureOverAnotherText_Returns401NamingTheExpectedTextAndPublishesNothing(string variant)
    {
        var key = new PublisherKey();
        var name = "misspelled-" + variant.Replace(' ', '-');
        var upload = new SignedUpload(name, server.Variant(420), key) { PriceInput = "0.0010" };
        var expected = upload.Message;
        var signed = variant switch
        {
            "upper-case sha256" => expected.Replace(upload.Sha256, upload.Sha256.ToUpperInvariant(), StringComparison.Ordinal),
            "timestamp with a leading zero" => expected.Replace($"timestamp: {upload.Timestamp}", $"timestamp: 0{upload.Timestamp}", StringComparison.Ordinal),
            "another chain id" => expected.Replace("chain_id: 0", "chain_id: 1", StringComparison.Ordinal),
            "checksum-cased publisher" => expected.Replace(key.Address, new Nethereum.Util.AddressUtil().ConvertToChecksumAddress(key.Address), StringComparison.Ordinal),
            "the old text without publisher and chain" => expected.Replace($"publisher: {key.Address}\nchain_id: 0\n", "", StringComparison.Ordinal),
            "price re-spelled" => expected.Replace("price_input_per_1k: 0.0010", "price_input_per_1k: 0.001", StringComparison.Ordinal),
            "trailing newline" => expected + "\n",
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        Assert.NotEqual(expected, signed);

        using var response = await server.Http.UploadAsync(upload with { RawSignature = key.Sign(signed) });

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, param: "signature", code: "invalid_signature");
        Assert.Contains(expected.Replace("\n", "\\n", StringComparison.Ordinal), error.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var get = await server.Http.GetAsync($"/v1/adapters/{name}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Upload_DeclaredPublisherIsNotTheSigner_Returns401InvalidSignature()
    {
        var signer = new PublisherKey();
        var victim = new PublisherKey();
        var upload = new SignedUpload("claimed-by-another", server.Variant(421), signer) { Publisher = victim.Address };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, param: "signature", code: "invalid_signature");
        using var get = await server.Http.GetAsync("/v1/adapters/claimed-by-another");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Upload_WithoutPublisher_Returns401MissingSignature()
    {
        var upload = new SignedUpload("no-publisher", server.Variant(422), new PublisherKey()) { Publisher = null };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, param: "publisher", code: "missing_signature");
    }

    [Fact]
    public async Task Upload_TimestampFieldWithLeadingZero_Returns401InvalidSignature()
    {
        var upload = new SignedUpload("zero-timestamp", server.Variant(423), new PublisherKey());

        using var response = await server.Http.UploadAsync(upload with { TimestampText = "0" + upload.Timestamp.ToString(CultureInfo.InvariantCulture) });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, param: "timestamp", code: "invalid_signature");
    }

    [Fact]
    public async Task Upload_UnknownFormField_Returns400UnknownParameter()
    {
        var upload = new SignedUpload("unknown-field", server.Variant(424), new PublisherKey());
        using var content = upload.ToContent();
        content.Add(new StringContent("1"), "price_per_token");

        using var response = await server.Http.PostAsync("/v1/adapters", content);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "price_per_token", code: "unknown_parameter");
    }

    [Fact]
    public async Task Delete_DeclaredPublisherIsNotTheSigner_Returns401AndTheAdapterStays()
    {
        var owner = new PublisherKey();
        var upload = new SignedUpload("delete-impersonated", server.Variant(425), owner);
        await server.Http.PublishAsync(upload);
        using var request = AdapterApi.DeleteRequest("delete-impersonated", new PublisherKey());
        request.Headers.Remove("OpenLoRA-Publisher");
        request.Headers.Add("OpenLoRA-Publisher", owner.Address);

        using var response = await server.Http.SendAsync(request);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, param: "OpenLoRA-Signature", code: "invalid_signature");
        Assert.Equal(upload.Sha256, (await server.Http.GetJsonAsync("/v1/adapters/delete-impersonated")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Chain_WithTheChainOff_NamesChainIdZero()
    {
        var chain = await server.Http.GetJsonAsync("/v1/chain");

        Assert.Equal("off", chain.GetProperty("mode").GetString());
        Assert.Equal(0UL, chain.GetProperty("chain_id").GetUInt64());
    }

    [Fact]
    public async Task Upload_WithoutSignature_Returns401MissingSignature()
    {
        var upload = new SignedUpload("unsigned", server.Variant(402), new PublisherKey()) { Signed = false };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, code: "missing_signature");
    }

    [Fact]
    public async Task Upload_StaleTimestamp_Returns401StaleSignature()
    {
        var upload = new SignedUpload("stale", server.Variant(402), new PublisherKey())
        {
            Timestamp = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
        };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, code: "stale_signature");
    }

    [Fact]
    public async Task Upload_SameRequestTwice_SecondReturns401SignatureReplayed()
    {
        var upload = new SignedUpload("replayed", server.Variant(403), new PublisherKey());
        await server.Http.PublishAsync(upload);

        using var replay = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(replay, HttpStatusCode.Unauthorized, code: "signature_replayed");
    }

    // (r, n − s) with the other recovery id is a second valid signature of the same message by the same key. If the
    // server took it, anyone who saw a request could replay it under a new signature id.
    [Fact]
    public async Task Upload_HighSTwinOfAUsedSignature_Returns401InvalidSignature()
    {
        var upload = new SignedUpload("malleated", server.Variant(404), new PublisherKey());
        await server.Http.PublishAsync(upload);
        var bytes = Convert.FromHexString(upload.Key.Sign(upload.Message)[2..]);
        var s = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(bytes.AsSpan(32, 32));
        bytes[64] = (byte)(bytes[64] == 27 ? 28 : 27);

        using var response = await server.Http.UploadAsync(upload with { RawSignature = "0x" + Convert.ToHexStringLower(bytes) });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, code: "invalid_signature");
    }

    [Fact]
    public async Task Upload_MalformedSignature_Returns401InvalidSignature()
    {
        var upload = new SignedUpload("malformed-signature", server.Variant(405), new PublisherKey()) { RawSignature = "0x1234" };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, code: "invalid_signature");
    }

    [Fact]
    public async Task Upload_NameOwnedByAnotherPublisher_Returns403()
    {
        await server.Http.PublishAsync(new SignedUpload("owned-name", server.Variant(406), new PublisherKey()));

        using var response = await server.Http.UploadAsync(new SignedUpload("owned-name", server.Variant(407), new PublisherKey()));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Delete_ByAnotherPublisher_Returns403AndTheAdapterStays()
    {
        var upload = new SignedUpload("kept", server.Variant(408), new PublisherKey());
        await server.Http.PublishAsync(upload);

        using var response = await server.Http.DeleteAdapterAsync("kept", new PublisherKey());

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(upload.Sha256, (await server.Http.GetJsonAsync("/v1/adapters/kept")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Delete_ByOwner_Returns200AndTheNameIsGone()
    {
        var key = new PublisherKey();
        var upload = new SignedUpload("deleted", server.Variant(409), key);
        await server.Http.PublishAsync(upload);

        using var response = await server.Http.DeleteAdapterAsync("deleted", key);

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(upload.Sha256, body.GetProperty("id").GetString());
        Assert.True(body.GetProperty("deleted").GetBoolean());
        using var chat = await server.Http.PostJsonAsync(
            "/v1/chat/completions", """{"model":"deleted","messages":[{"role":"user","content":"Hi"}],"max_tokens":4}""");
        await ErrorAssert.IsErrorAsync(chat, HttpStatusCode.NotFound, code: "model_not_found");
        using var get = await server.Http.GetAsync($"/v1/adapters/{upload.Sha256}");
        await ErrorAssert.IsErrorAsync(get, HttpStatusCode.NotFound, code: "adapter_not_found");
    }

    [Fact]
    public async Task Delete_StaleTimestamp_Returns401StaleSignature()
    {
        var key = new PublisherKey();
        await server.Http.PublishAsync(new SignedUpload("delete-stale", server.Variant(410), key));

        using var response = await server.Http.DeleteAdapterAsync("delete-stale", key, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, code: "stale_signature");
    }

    [Fact]
    public async Task Delete_WithoutSignature_Returns401MissingSignature()
    {
        using var response = await server.Http.DeleteAsync($"/v1/adapters/{TestModels.Adapter}");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, code: "missing_signature");
    }
}
