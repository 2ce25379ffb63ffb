using System.Text.Json;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>Reads a whole server-sent-event stream and checks its framing.</summary>
internal static class SseEvents
{
    public const string Done = "[DONE]";

    /// <summary>The <c>data:</c> payloads in order; every event must be exactly one <c>data: …</c> line.</summary>
    public static async Task<List<string>> ReadDataAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n\n", body);
        var events = body[..^2].Split("\n\n");
        return events.Select(e =>
        {
            Assert.StartsWith("data: ", e);
            Assert.DoesNotContain('\n', e);
            return e["data: ".Length..];
        }).ToList();
    }

    /// <summary>The JSON events before <c>[DONE]</c>, after checking the stream ends with it exactly once.</summary>
    public static async Task<List<JsonElement>> ReadJsonUntilDoneAsync(HttpResponseMessage response)
    {
        var data = await ReadDataAsync(response);
        Assert.Equal(Done, data[^1]);
        Assert.Single(data, d => d == Done);
        return data[..^1].Select(d => JsonDocument.Parse(d).RootElement.Clone()).ToList();
    }
}
