using System.Numerics;
using System.Text.Json;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>The server killed with SIGKILL in the middle of 50 paid streams, then restarted.</summary>
[Collection(CrashBillingServerCollection.Name)]
public sealed class BillingCrashTests(CrashBillingServerFixture server)
{
    private const int Streams = 50;
    private const int CompletedBeforeKill = 10;

    [Fact]
    public async Task Kill9_During50Streams_EveryResponseReceivedInFullIsChargedExactlyOnceAndBalancesReconcile()
    {
        var user = new BillingApi(server, devAccount: 5);
        await user.SignInAsync();
        await user.DepositAsync(BigInteger.Pow(10, 18) * 100);

        var completed = 0;
        var enoughCompleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streams = Enumerable.Range(0, Streams).Select(i => Task.Run(async () =>
        {
            var result = await ReadStreamAsync(user, i);
            if (result.Complete && Interlocked.Increment(ref completed) == CompletedBeforeKill)
            {
                enoughCompleted.TrySetResult();
            }

            return result;
        })).ToList();

        await enoughCompleted.Task.WaitAsync(TestTimeouts.Request);
        await server.StopProcessAsync(graceful: false);
        var results = await Task.WhenAll(streams);
        await server.StartAgainAsync();

        var account = await user.AccountAsync(limit: 1000);
        var charges = account.GetProperty("recent_charges").EnumerateArray().ToList();
        var chargedTraces = charges.Select(c => c.GetProperty("trace_id").GetString()).ToList();
        var complete = results.Where(r => r.Complete).ToList();
        Assert.True(complete.Count >= CompletedBeforeKill);
        Assert.True(complete.Count < Streams, "the kill came after every stream had finished; nothing was tested");
        foreach (var response in complete)
        {
            Assert.Equal(1, chargedTraces.Count(t => t == response.TraceId));
        }

        Assert.Equal(charges.Count, charges.Select(c => c.GetProperty("request_id").GetString()).Distinct().Count());
        Assert.Equal(chargedTraces.Count, chargedTraces.Distinct().Count());

        // Open reservations of the interrupted streams were released on start; the books balance to the unit.
        Assert.Equal(BigInteger.Zero, BillingApi.Units(account.GetProperty("reserved")));
        Assert.Equal(
            BillingApi.Units(account.GetProperty("deposited")),
            BillingApi.Units(account.GetProperty("balance")) + BillingApi.Units(account.GetProperty("spent")) + BillingApi.Units(account.GetProperty("settled")));
        Assert.Equal(
            charges.Aggregate(BigInteger.Zero, (sum, c) => sum + BillingApi.Units(c.GetProperty("amount"))),
            BillingApi.Units(account.GetProperty("spent")) + BillingApi.Units(account.GetProperty("settled")));
    }

    /// <summary>One streamed chat; complete when <c>[DONE]</c> arrived. Connection errors after the kill are expected.</summary>
    private static async Task<(bool Complete, string? TraceId)> ReadStreamAsync(BillingApi user, int index)
    {
        string? traceId = null;
        try
        {
            using var response = await user.ChatAsync(TestModels.Adapter, $"Stream number {index}, tell me a long story.", 160, stream: true);
            if (!response.IsSuccessStatusCode)
            {
                return (false, null);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line == "data: [DONE]")
                {
                    return (true, traceId);
                }

                if (line.StartsWith("data: ", StringComparison.Ordinal)
                    && JsonDocument.Parse(line[6..]).RootElement.TryGetProperty("trace_id", out var id))
                {
                    traceId = id.GetString();
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            // The server died under this stream.
        }

        return (false, traceId);
    }
}
