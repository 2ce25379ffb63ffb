using System.Net;
using System.Text;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// Upload fields that billing or URLs cannot carry are refused with 400 before anything is stored, and the API
/// keeps answering for everyone afterwards. Each class is tried as a whole (every bad character, every side of the
/// bound), not one example.
/// </summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterUploadValidationTests(AdapterServerFixture server)
{
    /// <summary>Prices billing cannot charge: above 10^9 OPEN per 1,000 tokens, or finer than OPEN's 18 decimals.</summary>
    public static TheoryData<string> UnbillablePrices => new()
    {
        "1000000000.000000000000000001",
        "1000000001",
        "100000000000",
        "79228162514.264337593543950335",
        "79228162514264337593543950335",
        "99999999999999999999999999999999999999999999",
        "0.0000000000000000001",
        "0.00000000000000000000000000000001",
        "1.1234567890123456789",
        "-1",
        "1e3",
        "1,5",
        " 1",
        "0x10",
        "NaN",
        "Infinity",
        "٣",
        ".",
    };

    [Theory]
    [MemberData(nameof(UnbillablePrices))]
    public async Task Upload_PriceBillingCannotCharge_Returns400NamingTheBoundAndListingsStillAnswer(string price)
    {
        var key = new PublisherKey();
        foreach (var part in new[] { "price_input_per_1k", "price_output_per_1k" })
        {
            var upload = new SignedUpload("unbillable", server.Variant(950), key);
            upload = part == "price_input_per_1k" ? upload with { PriceInput = price } : upload with { PriceOutput = price };

            using var response = await server.Http.UploadAsync(upload);

            var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: part, code: "invalid_value");
            var message = error.GetProperty("message").GetString()!;
            Assert.Contains("1000000000 OPEN per 1,000 tokens", message, StringComparison.Ordinal);
            Assert.Contains("18 decimals", message, StringComparison.Ordinal);
        }

        await AssertListingsAnswerAsync();
    }

    /// <summary>Both ends of the bound are accepted and priced exactly, to the base unit.</summary>
    [Theory]
    [InlineData(951, "1000000000", "1000000000000000000000000000")]
    [InlineData(952, "0.000000000000000001", "1")]
    [InlineData(953, "999999999.999999999999999999", "999999999999999999999999999")]
    [InlineData(954, "000012.500000000000000000", "12500000000000000000")]
    public async Task Upload_PriceAtTheBound_IsPublishedAndPricedToTheBaseUnit(int seed, string price, string baseUnits)
    {
        var name = $"bound-{seed}";
        await server.Http.PublishAsync(new SignedUpload(name, server.Variant(seed), new PublisherKey()) { PriceInput = price, PriceOutput = price });

        var prices = await server.Http.ListAsync("/v1/prices");

        // Billing is off on this server, so the listed price is the publisher's own, in base units.
        var entry = prices.Single(p => p.GetProperty("model").GetString() == name);
        Assert.Equal(baseUnits, entry.GetProperty("input_per_1k").GetString());
        Assert.Equal(baseUnits, entry.GetProperty("output_per_1k").GetString());
        await ChatProbe.CompleteAsync(server, name);
        await AssertListingsAnswerAsync();
    }

    /// <summary>
    /// Names no URL, <c>model</c> value or listing can carry: dot segments, separators, URL delimiters, every C0
    /// control character and DEL, whitespace (ASCII and Unicode) anywhere, non-ASCII, a leading non-alphanumeric,
    /// a content hash's shape, and lengths past the limit.
    /// </summary>
    private static List<string> UnaddressableNames()
    {
        var names = new List<string>
        {
            ".", "..", "...", ".hidden", "-rf", "_x", "a/b", "/a", "a/", "a\\b", "..\\a", "a?b", "a#b", "a%2e", "%2e%2e", "a@b",
            "a b", " a", "a ", " ", "   ", "a\u00a0b", "a\u2028b", "\u3000", "café", "a\u200bb", "a\ufeffb", "ａ", "a:b", "a*b", "a\"b", "a<b", "a|b",
            new string('a', 65), new string('b', 10_000), new string('a', 64).Replace('a', 'e'), "0123456789abcdef0123456789abcdef0123456789ABCDEF0123456789abcdef",
        };
        for (var c = 0; c < 0x20; c++)
        {
            names.Add($"a{(char)c}b");
            names.Add($"{(char)c}");
        }

        names.Add("a\n");
        names.Add("a\r\n");
        names.Add("a\u007fb");
        names.Add("a\u0085b");
        return names;
    }

    /// <remarks>One test over the whole class (control characters make poor theory data in test reports).</remarks>
    [Fact]
    public async Task Upload_NamesThatCannotBeAddressed_AllReturn400InvalidValue()
    {
        var key = new PublisherKey();
        var weights = server.Variant(955);
        var failures = new List<string>();
        foreach (var name in UnaddressableNames())
        {
            using var response = await server.Http.UploadAsync(new SignedUpload(name, weights, key) { FileName = "adapter.gguf" });
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{Escape(name)}: {(int)response.StatusCode} {body}");
                continue;
            }

            var error = ErrorAssert.IsErrorObject(body);
            if (error.GetProperty("param").GetString() != "name" || error.GetProperty("code").GetString() != "invalid_value"
                || !error.GetProperty("message").GetString()!.Contains("starting with a letter or digit", StringComparison.Ordinal))
            {
                failures.Add($"{Escape(name)}: {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.DoesNotContain(await server.Http.ListAsync("/v1/adapters"), a => a.GetProperty("sha256").GetString() == new SignedUpload("x", weights, key).Sha256);
    }

    [Theory]
    [InlineData(961, "a")]
    [InlineData(962, "A.b_c-9")]
    [InlineData(963, "v1.2.3")]
    [InlineData(964, "9lives")]
    [InlineData(965, "name-of-exactly-sixty-four-characters-01234567890123456789012345")]
    public async Task Upload_AddressableName_IsPublishedAndReachableByUrlAndModel(int seed, string name)
    {
        Assert.InRange(name.Length, 1, 64);
        await server.Http.PublishAsync(new SignedUpload(name, server.Variant(seed), new PublisherKey()));

        var adapter = await server.Http.GetJsonAsync($"/v1/adapters/{Uri.EscapeDataString(name)}");
        Assert.Equal(name, adapter.GetProperty("name").GetString());
        var model = await server.Http.GetJsonAsync($"/v1/models/{Uri.EscapeDataString(name)}");
        Assert.Equal(name, model.GetProperty("id").GetString());
        await ChatProbe.CompleteAsync(server, name);
    }

    private async Task AssertListingsAnswerAsync()
    {
        foreach (var path in new[] { "/v1/models", "/v1/prices", "/v1/adapters" })
        {
            Assert.NotEmpty(await server.Http.ListAsync(path));
        }

        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
    }

    private static string Escape(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.Length > 80 ? name[..80] : name)
        {
            text.Append(c is > ' ' and < '\u007f' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return text.ToString();
    }
}
