using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenLoRA.LoadTest;

/// <summary>Sends one streaming chat request and times it from the SSE events as they arrive.</summary>
internal sealed class StreamingClient(HttpClient http, LoadTestOptions options)
{
    public async Task<RequestResult> SendAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        double? firstToken = null;
        var outputTokens = 0;
        var contentEvents = 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Body(plan) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"tenant-{plan.Tenant}");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Failed(plan, $"http_{(int)response.StatusCode}", started);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
                {
                    continue;
                }

                using var json = JsonDocument.Parse(line.AsMemory(6));
                var root = json.RootElement;
                if (root.TryGetProperty("error", out _))
                {
                    return Failed(plan, "stream_error", started);
                }

                if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                {
                    outputTokens = usage.GetProperty("completion_tokens").GetInt32();
                }

                if (HasContent(root))
                {
                    contentEvents++;
                    firstToken ??= Stopwatch.GetElapsedTime(started).TotalSeconds;
                }
            }

            var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
            outputTokens = outputTokens > 0 ? outputTokens : contentEvents;
            double? perToken = firstToken is { } first && outputTokens > 1 ? (total - first) / (outputTokens - 1) : null;
            return new RequestResult(plan, null, firstToken, perToken, total, outputTokens);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(plan, "timeout", started);
        }
        catch (HttpRequestException ex)
        {
            return Failed(plan, $"connection_{ex.HttpRequestError}".ToLowerInvariant(), started);
        }
        catch (JsonException)
        {
            return Failed(plan, "bad_event", started);
        }
    }

    private StringContent Body(RequestPlan plan)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = plan.Model,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = plan.Prompt } },
            ["max_tokens"] = plan.MaxTokens,
            ["temperature"] = 0.8,
            ["seed"] = plan.Index,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = true },
            ["user"] = $"tenant-{plan.Tenant}",
        };
        if (options.IgnoreEos)
        {
            body["ignore_eos"] = true;
        }

        return new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
    }

    private static bool HasContent(JsonElement root) =>
        root.TryGetProperty("choices", out var choices)
        && choices.ValueKind == JsonValueKind.Array
        && choices.GetArrayLength() > 0
        && choices[0].TryGetProperty("delta", out var delta)
        && delta.TryGetProperty("content", out var content)
        && content.GetString() is { Length: > 0 };

    private static RequestResult Failed(RequestPlan plan, string kind, long started) =>
        new(plan, kind, null, null, Stopwatch.GetElapsedTime(started).TotalSeconds, 0);
}
