using System.Numerics;
using OpenLoRA.IntegrationTests.Billing;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// Fault injection: the real server process is killed with SIGKILL during 50 concurrent paid streams, three times,
/// and restarted in between; after each restart the ledger is audited against what the clients saw.
/// </summary>
[Collection(CrashBillingServerCollection.Name)]
public sealed class KillDuringPaidStreamsTests(CrashBillingServerFixture server)
{
    private const int Rounds = 3;
    private const int Streams = 50;
    private const int CompletedBeforeKill = 10;

    [Fact]
    public async Task Kill9_During50PaidStreams_ThreeRounds_LedgerAuditIsCleanAfterEveryRestart()
    {
        var user = new BillingApi(server, devAccount: 8);
        await user.SignInAsync();
        await user.DepositAsync(BigInteger.Pow(10, 18) * 100);
        var seen = new List<PaidStream>();

        for (var round = 0; round < Rounds; round++)
        {
            var completed = 0;
            var enoughCompleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var streams = Enumerable.Range(0, Streams).Select(i => Task.Run(async () =>
            {
                var result = await PaidStream.ReadAsync(user, TestModels.Adapter, $"Round {round}, stream {i}: tell me a long story.", 160);
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

            Assert.True(results.Count(r => r.Complete) < Streams, $"round {round}: the kill came after every stream had finished; nothing was tested");
            seen.AddRange(results);

            var account = await user.AccountAsync();
            Assert.Equal(BigInteger.Zero, BillingApi.Units(account.GetProperty("reserved")));
            LedgerAudit.OfDataDirectory(server.DataDirectory)
                .Run(seen, new Dictionary<string, BigInteger> { [user.Address] = BillingApi.Units(account.GetProperty("balance")) })
                .AssertClean($"after round {round}");
        }
    }
}
