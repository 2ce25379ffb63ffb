using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Submission;

namespace OpenLoRA.Chain.Tests.Submission;

/// <summary>The retry backoff against an endpoint that is down, on a fake clock: no anvil needed.</summary>
public sealed class ProofSubmitterBackoffTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ExecuteAsync_EndpointDown60sWithABatchSealedEverySecond_RetriesOnlyOnTheBackoffSchedule()
    {
        using var endpoint = new FailingRpcEndpoint();
        using var database = new OutboxDatabase();
        var time = new CountingTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        using var submitter = new ProofSubmitter(new ProofSubmitterOptions
        {
            RpcUrl = endpoint.Url,
            ChainId = AnvilDevAccounts.ChainId,
            RegistryAddress = AnvilDevAccounts.Addresses[9],
            SubmitterPrivateKey = AnvilDevAccounts.PrivateKeys[1],
            ConnectionString = database.ConnectionString,
            PollInterval = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(30),
        }, time, NullLogger<ProofSubmitter>.Instance);

        // Backoff 1, 2, 4, 8, 16, then 30 s (MaxRetryDelay): attempts at 0, 1, 3, 7, 15 and 31 s of the outage.
        int[] attemptSeconds = [0, 1, 3, 7, 15, 31];
        await submitter.StartAsync(CancellationToken.None);
        try
        {
            await ParkedAfterAsync(endpoint, time, 1);
            for (var second = 1; second <= 60; second++)
            {
                await submitter.EnqueueAsync((ulong)(second - 1), Hash($"root {second}"), 1, Hash($"manifest {second}"), $"openlora:batch/{second}");
                time.Advance(TimeSpan.FromSeconds(1));
                await ParkedAfterAsync(endpoint, time, attemptSeconds.Count(s => s <= second));
            }
        }
        finally
        {
            await submitter.StopAsync(CancellationToken.None);
        }

        Assert.Equal(attemptSeconds.Length, endpoint.Requests);
        Assert.Equal(60, submitter.BacklogCount);
    }

    /// <summary>Waits until <paramref name="attempts"/> passes reached the endpoint and the loop waits after the last.</summary>
    private static async Task ParkedAfterAsync(FailingRpcEndpoint endpoint, CountingTimeProvider time, int attempts)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (endpoint.Requests < attempts || time.Timers < attempts)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), deadline.Token);
        }
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
