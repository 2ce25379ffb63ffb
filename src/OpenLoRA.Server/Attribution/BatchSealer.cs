using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// Seals stored traces into Merkle batches: at once when <c>BatchMaxTraces</c> wait, otherwise every
/// <c>BatchIntervalSeconds</c> (on the injected clock) if any wait; and whatever is left at shutdown.
/// </summary>
internal sealed class BatchSealer(
    TraceStore store, IOptions<AttributionServerOptions> options, TimeProvider time, ILogger<BatchSealer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _full = new(0);
    private int _stored;

    /// <summary>Raised after a batch is durably sealed (the proof submitter listens).</summary>
    public event Action<StoredBatch>? Sealed;

    public void OnTraceStored()
    {
        if (Interlocked.Increment(ref _stored) % options.Value.BatchMaxTraces == 0)
        {
            _full.Release();
        }
    }

    /// <summary>Seals every full batch, then (when <paramref name="flush"/>) the partial rest. Returns batches sealed.</summary>
    public int SealPending(bool flush)
    {
        var max = options.Value.BatchMaxTraces;
        var sealedCount = 0;
        while (store.CountUnbatched() is var waiting && waiting > 0 && (flush || waiting >= max))
        {
            var batch = store.SealNext(max, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (batch is null)
            {
                break;
            }

            sealedCount++;
            AttributionMetrics.BatchesSealed.Inc();
            logger.LogInformation("Sealed attribution batch {BatchId}: {Count} traces, root {Root}", batch.Id, batch.Count, batch.Root);
            Sealed?.Invoke(batch);
        }

        AttributionMetrics.UnbatchedTraces.Set(store.CountUnbatched());
        return sealedCount;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.BatchIntervalSeconds), time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var full = _full.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var woke = await Task.WhenAny(tick, full);
                await woke;
                var flush = woke == tick;
                if (flush)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    full = _full.WaitAsync(stoppingToken);
                }

                SealPending(flush);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Sealing an attribution batch failed; retrying at the next interval");
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Requests still finishing record their traces before the host stops the services; seal what is left.
        SealPending(flush: true);
    }
}
