using System.Text.Json;

namespace OpenLoRA.Cli.Publishing;

/// <summary>Prints what the server answered: the JSON body indented on success, the OpenAI error's message otherwise.</summary>
internal static class ServerReplies
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <returns>The exit code: 0 on success, 1 when the server refused.</returns>
    public static async Task<int> PrintAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            Console.WriteLine(Pretty(body));
            return 0;
        }

        Console.Error.WriteLine($"the server refused ({(int)response.StatusCode}): {ErrorMessage(body)}");
        return 1;
    }

    /// <summary>A client for <paramref name="server"/>; no overall timeout, since a large upload may take minutes.</summary>
    public static HttpClient Client(string server) => new() { BaseAddress = new Uri(server), Timeout = Timeout.InfiniteTimeSpan };

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("error", out var error)
                || error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("message", out var message)
                || message.ValueKind != JsonValueKind.String)
            {
                return body;
            }

            return error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? $"{message.GetString()} [{code.GetString()}]"
                : message.GetString()!;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
