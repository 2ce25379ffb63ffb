using System.Text.Json;
using OpenLoRA.IntegrationTests.Billing;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// What a client saw of one paid streamed chat: the billing request id (the <c>OpenLoRA-Request-Id</c> header), the
/// content chunks it received, how the stream ended, and the trace id it was given.
/// </summary>
/// <param name="Ending"><see cref="Done"/> (finish chunk and <c>[DONE]</c>), <see cref="Error"/> (an error event),
/// <see cref="Cut"/> (the connection died), or another text for anything unexpected.</param>
internal sealed record PaidStream(string? RequestId, string Ending, int ContentChunks, string? TraceId, string? ErrorCode, bool SawFinishReason)
{
    public const string Done = "done";
    public const string Error = "error";
    public const string Cut = "cut";

    /// <summary>The client holds the whole response: the finish chunk and <c>[DONE]</c> arrived.</summary>
    public bool Complete => Ending == Done;

    /// <summary>
    /// Streams one chat and reads it to its end. Connection errors (the server killed under the stream) end it as
    /// <see cref="Cut"/>; <paramref name="onFirstEvent"/> runs when the first event arrives, <paramref name="onFirstContent"/>
    /// when the first content chunk does.
    /// </summary>
    public static async Task<PaidStream> ReadAsync(
        BillingApi user, string model, string prompt, int maxTokens, Action? onFirstEvent = null, Action? onFirstContent = null,
        CancellationToken cancellationToken = default)
    {
        string? requestId = null, traceId = null;
        var chunks = 0;
        var finish = false;
        var first = true;
        try
        {
            using var response = await user.ChatAsync(model, prompt, maxTokens, stream: true);
            requestId = response.Headers.TryGetValues("OpenLoRA-Request-Id", out var ids) ? ids.Single() : null;
            if (!response.IsSuccessStatusCode)
            {
                onFirstEvent?.Invoke();
                return new PaidStream(requestId, $"http {(int)response.StatusCode}", 0, null, null, false);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                if (first)
                {
                    first = false;
                    onFirstEvent?.Invoke();
                }

                if (line == "data: [DONE]")
                {
                    return new PaidStream(requestId, finish ? Done : "[DONE] without a finish chunk", chunks, traceId, null, finish);
                }

                var json = JsonDocument.Parse(line[6..]).RootElement;
                if (json.TryGetProperty("error", out var error))
                {
                    return new PaidStream(requestId, Error, chunks, traceId, error.GetProperty("code").GetString(), finish);
                }

                traceId = json.TryGetProperty("trace_id", out var id) ? id.GetString() : traceId;
                if (json.GetProperty("choices") is { } choices && choices.GetArrayLength() > 0)
                {
                    var choice = choices[0];
                    if (choice.GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 }
                        && ++chunks == 1)
                    {
                        onFirstContent?.Invoke();
                    }

                    finish |= choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new PaidStream(requestId, Cut, chunks, traceId, null, finish);
        }

        return new PaidStream(requestId, "closed without [DONE] or error", chunks, traceId, null, finish);
    }
}
