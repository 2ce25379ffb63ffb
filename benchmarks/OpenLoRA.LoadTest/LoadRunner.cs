using System.Diagnostics;
using Spectre.Console;

namespace OpenLoRA.LoadTest;

/// <summary>Replays a plan against the server, open loop (arrivals on schedule) or closed loop (N clients), with a progress bar.</summary>
internal sealed class LoadRunner(StreamingClient client, LoadTestOptions options)
{
    public async Task<(List<RequestResult> Results, double WallSeconds)> RunAsync(IReadOnlyList<RequestPlan> plans, CancellationToken cancellationToken)
    {
        var results = new List<RequestResult>(plans.Count);
        var started = Stopwatch.GetTimestamp();
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask($"{options.Mode} loop", maxValue: plans.Count);
                void Record(RequestResult result)
                {
                    lock (results)
                    {
                        results.Add(result);
                    }

                    bar.Increment(1);
                }

                if (options.Mode == "open")
                {
                    await RunOpenAsync(plans, started, Record, cancellationToken);
                }
                else
                {
                    await RunClosedAsync(plans, Record, cancellationToken);
                }
            });
        return (results, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private async Task RunOpenAsync(IReadOnlyList<RequestPlan> plans, long started, Action<RequestResult> record, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>(plans.Count);
        foreach (var plan in plans)
        {
            var wait = plan.ArrivalOffset - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            inFlight.Add(Task.Run(async () => record(await client.SendAsync(plan, cancellationToken)), cancellationToken));
        }

        await Task.WhenAll(inFlight);
    }

    private async Task RunClosedAsync(IReadOnlyList<RequestPlan> plans, Action<RequestResult> record, CancellationToken cancellationToken)
    {
        var next = -1;
        var workers = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < plans.Count)
            {
                record(await client.SendAsync(plans[index], cancellationToken));
            }
        });
        await Task.WhenAll(workers);
    }
}
