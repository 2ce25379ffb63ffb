using System.Net;
using System.Net.Http.Headers;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>Sends a corpus of malformed bodies and checks every answer: 400, OpenAI's error shape, no .NET internals.</summary>
internal static class MalformedBodyAssert
{
    private static readonly string[] Internals = ["OpenLoRA.", "System.", "Exception"];

    /// <summary>Every failure, one line each, so a single run shows the whole class.</summary>
    public static async Task<List<string>> FailuresAsync(HttpClient http, string path, IEnumerable<MalformedBody> bodies)
    {
        var failures = new List<string>();
        foreach (var body in bodies)
        {
            using var content = new ByteArrayContent(body.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{path} {body.What}: {(int)response.StatusCode} {text}");
                continue;
            }

            var error = ErrorAssert.IsErrorObject(text);
            var message = error.GetProperty("message").GetString()!;
            if (Internals.FirstOrDefault(i => message.Contains(i, StringComparison.Ordinal)) is { } leak)
            {
                failures.Add($"{path} {body.What}: the message names '{leak}': {message}");
            }

            var param = error.GetProperty("param").GetString();
            if (body.Param is not null && (param is null || !param.StartsWith(body.Param, StringComparison.Ordinal)))
            {
                failures.Add($"{path} {body.What}: param is '{param}', not '{body.Param}': {message}");
            }
        }

        return failures;
    }
}
