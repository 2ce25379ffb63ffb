using System.Net;
using System.Text;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>Garbage in gets a 4xx (never a 500 or a dead server), and a normal request still works afterwards.</summary>
public abstract class HostileInputTests(ITestServer server)
{
    private const string Chat = "/v1/chat/completions";

    public static TheoryData<string, byte[]> HostileBodies()
    {
        var random = new Random(1234);
        var noise = new byte[64 * 1024];
        random.NextBytes(noise);
        var invalidUtf8 = Encoding.UTF8.GetBytes("""{"model":"tiny-llama","messages":[{"role":"user","content":"AB"}]}""");
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'A')] = 0xC3;
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'B')] = 0x28;
        var overlong = Encoding.UTF8.GetBytes("""{"model":"tiny-llama","messages":[{"role":"user","content":"AB"}]}""");
        overlong[Array.IndexOf(overlong, (byte)'A')] = 0xC0;
        overlong[Array.IndexOf(overlong, (byte)'B')] = 0xAF;
        return new TheoryData<string, byte[]>
        {
            { "random bytes", noise },
            { "empty body", [] },
            { "deeply nested arrays", Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000)) },
            { "deeply nested objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)) },
            { "nesting inside messages", Encoding.UTF8.GetBytes("""{"model":"tiny-llama","messages":""" + new string('[', 5_000)) },
            { "invalid UTF-8 in a string", invalidUtf8 },
            { "overlong UTF-8 in a string", overlong },
            { "JSON null", "null"u8.ToArray() },
            { "JSON array", "[1,2,3]"u8.ToArray() },
            { "JSON string", "\"hello\""u8.ToArray() },
            { "max_tokens beyond int", Encoding.UTF8.GetBytes("""{"model":"tiny-llama","messages":[{"role":"user","content":"Hi"}],"max_tokens":1e30}""") },
            { "NaN temperature", Encoding.UTF8.GetBytes("""{"model":"tiny-llama","messages":[{"role":"user","content":"Hi"}],"temperature":NaN}""") },
            { "duplicate keys of wrong type", Encoding.UTF8.GetBytes("""{"model":"tiny-llama","model":7,"messages":[]}""") },
            { "lone surrogate escape", Encoding.UTF8.GetBytes("""{"model":"tiny-llama","messages":[{"role":"user","content":"\ud800"}],"max_tokens":1}""") },
        };
    }

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Post_HostileBody_Returns4xxAndServerStillServes(string what, byte[] body)
    {
        using (var response = await server.Http.PostBytesAsync(Chat, body))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500 || response.StatusCode == HttpStatusCode.OK, $"{what}: {(int)response.StatusCode} {text}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                ErrorAssert.IsErrorObject(text);
                Assert.DoesNotContain("   at ", text);
            }
        }

        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Post_HugeMaxTokens_FinishesWithinContext()
    {
        using var response = await server.Http.PostJsonAsync(Chat, $$"""
            {"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":{{int.MaxValue}}}
            """);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        var finish = document.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString();
        Assert.Contains(finish, UsageAssert.FinishReasons);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Post_ManyAbandonedStreams_ServerStillServes()
    {
        for (var i = 0; i < 8; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Chat)
            {
                Content = new StringContent($$"""
                    {"model":"{{TestModels.Adapter}}","messages":[{"role":"user","content":"Tell a long story"}],"max_tokens":200,"stream":true}
                    """, Encoding.UTF8, "application/json"),
            };

            // Read the headers only, then drop the connection mid-stream.
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await AssertStillServesAsync();
    }

    private async Task AssertStillServesAsync()
    {
        using var response = await server.Http.PostJsonAsync(Chat, $$"""
            {"model":"{{TestModels.BaseModel}}","messages":[{"role":"user","content":"Hello"}],"max_tokens":2}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = await server.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
