using System.Net;
using System.Numerics;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Attribution;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>SIGTERM while 20 paid streams run: they end with [DONE] or a final error event, and the books agree after restart.</summary>
[Collection(CrashBillingServerCollection.Name)]
public sealed class GracefulShutdownTests(CrashBillingServerFixture server)
{
    private const int Streams = 20;

    [Fact]
    public async Task Sigterm_During20Streams_EveryStreamEndsWithDoneOrAnErrorEventAndTheLedgerAndTracesAgreeAfterRestart()
    {
        var user = new BillingApi(server, devAccount: 6);
        await user.SignInAsync();
        await user.DepositAsync(BigInteger.Pow(10, 18) * 100);

        // Four short streams may finish before the signal; sixteen long ones outlast the one-second grace period. The
        // signal comes once every stream has its first event (some may still wait for a slot).
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streams = Enumerable.Range(0, Streams).Select(i => Task.Run(async () =>
        {
            var result = await ReadStreamAsync(user, i, maxTokens: i < 4 ? 8 : 4000, onFirstEvent: () =>
            {
                if (Interlocked.Increment(ref started) == Streams)
                {
                    allStarted.TrySetResult();
                }
            });
            return result;
        })).ToList();
        await allStarted.Task.WaitAsync(TestTimeouts.Request);
        await server.StopProcessAsync(graceful: true);
        var results = await Task.WhenAll(streams);

        Assert.Equal(0, server.LastExitCode);
        Assert.All(results, r => Assert.True(r.Ending is "done" or "error", $"stream ended with '{r.Ending}'"));
        Assert.True(results.Any(r => r.Ending == "error"), server.RecentOutput);
        Assert.All(results.Where(r => r.Ending == "error"), r => Assert.Equal("server_shutting_down", r.ErrorCode));

        await server.StartAgainAsync();
        var account = await user.AccountAsync(limit: 1000);
        var charges = account.GetProperty("recent_charges").EnumerateArray().ToList();
        Assert.Equal(BigInteger.Zero, BillingApi.Units(account.GetProperty("reserved")));
        Assert.Equal(
            BillingApi.Units(account.GetProperty("deposited")),
            BillingApi.Units(account.GetProperty("balance")) + BillingApi.Units(account.GetProperty("spent")) + BillingApi.Units(account.GetProperty("settled")));

        // Complete streams: one charge each, naming their trace, which survived the restart with that charge.
        foreach (var done in results.Where(r => r.Ending == "done"))
        {
            var charge = Assert.Single(charges, c => c.GetProperty("trace_id").GetString() == done.TraceId);
            var trace = await TraceApi.WaitForTraceAsync(server.Http, done.TraceId!);
            Assert.Equal(charge.GetProperty("amount").GetString(), trace.GetProperty("trace").GetProperty("charge").GetProperty("amount").GetString());
        }

        // Streams cut by the shutdown: charged for the tokens they received (no trace: the response never completed).
        var cut = results.Count(r => r.Ending == "error" && r.Delivered > 0);
        Assert.Equal(cut, charges.Count(c => c.GetProperty("trace_id").ValueKind == JsonValueKind.Null));
    }

    private static async Task<(string Ending, string? TraceId, string? ErrorCode, int Delivered)> ReadStreamAsync(
        BillingApi user, int index, int maxTokens, Action onFirstEvent)
    {
        string? traceId = null;
        var delivered = 0;
        var first = true;
        try
        {
            using var response = await user.ChatAsync(TestModels.Adapter, $"Shutdown stream {index}.", maxTokens, stream: true);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                onFirstEvent();
                return ($"http {(int)response.StatusCode}", null, null, 0);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line == "data: [DONE]")
                {
                    return ("done", traceId, null, delivered);
                }

                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                if (first)
                {
                    first = false;
                    onFirstEvent();
                }

                var json = JsonDocument.Parse(line[6..]).RootElement;
                if (json.TryGetProperty("error", out var error))
                {
                    return ("error", traceId, error.GetProperty("code").GetString(), delivered);
                }

                traceId = json.TryGetProperty("trace_id", out var id) ? id.GetString() : traceId;
                if (json.GetProperty("choices").GetArrayLength() > 0
                    && json.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content)
                    && content.GetString() is { Length: > 0 })
                {
                    delivered++;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return ("cut", traceId, null, delivered);
        }

        return ("closed without [DONE] or error", traceId, null, delivered);
    }
}
