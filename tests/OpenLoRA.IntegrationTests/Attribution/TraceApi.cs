using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>Chat requests that return their trace id, trace lookups, and signed Datanet uploads, over raw HTTP.</summary>
internal static class TraceApi
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>A greedy chat completion; returns the body and the <c>OpenLoRA-Trace-Id</c> header (null when absent).</summary>
    public static async Task<(JsonElement Body, string? TraceId)> ChatAsync(HttpClient http, string model, string prompt = "Tell me about the sea.", int maxTokens = 24)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model,
            messages = new[] { new { role = "user", content = prompt } },
            max_tokens = maxTokens,
            temperature = 0,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var header = response.Headers.TryGetValues("OpenLoRA-Trace-Id", out var values) ? values.Single() : null;
        return (JsonDocument.Parse(text).RootElement.Clone(), header);
    }

    /// <summary>
    /// GET /v1/traces/{id} until it answers 200 and <paramref name="until"/> holds: traces are recorded off the
    /// response path, a moment after the response ends. Polls with a deadline; not a timing assertion.
    /// </summary>
    public static async Task<JsonElement> WaitForTraceAsync(HttpClient http, string id, Func<JsonElement, bool>? until = null)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Request);
        while (true)
        {
            using var response = await http.GetAsync($"/v1/traces/{id}", deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var trace = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token)).RootElement.Clone();
                if (until is null || until(trace))
                {
                    return trace;
                }
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }

            await Task.Delay(PollInterval, deadline.Token);
        }
    }

    public static HttpRequestMessage DatanetUpload(
        string adapterId, string adapterSha256, string jsonl, PublisherKey? key, long? timestamp = null, ulong chainId = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(jsonl);
        var seconds = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/adapters/{Uri.EscapeDataString(adapterId)}/datanet")
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/jsonl");
        if (key is not null)
        {
            var message = PublisherMessages.DatanetUpload(
                new PublisherIdentity(key.Address, chainId), adapterSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)), seconds);
            request.Headers.Add("OpenLoRA-Signature", key.Sign(message));
            request.Headers.Add("OpenLoRA-Publisher", key.Address);
            request.Headers.Add("OpenLoRA-Timestamp", seconds.ToString(CultureInfo.InvariantCulture));
        }

        return request;
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Jsonl(params (string Id, string Contributor, string Text)[] records) =>
        string.Join('\n', records.Select(r => JsonSerializer.Serialize(new { id = r.Id, contributor = r.Contributor, text = r.Text })));
}
