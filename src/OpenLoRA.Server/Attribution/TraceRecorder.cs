using Microsoft.Extensions.Hosting;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// Attributes, signs and stores completed responses one at a time, off the request path, and tells the sealer.
/// A trace that fails (a damaged index file, a charge out of range) is logged and counted; the loop goes on.
/// </summary>
internal sealed class TraceRecorder(
    ResponseTracer tracer, TraceBuilder builder, TraceStore store, BatchSealer sealer, ILogger<TraceRecorder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Drains to the end even when stopping: the channel is closed at shutdown, so queued traces are still stored.
        await foreach (var response in tracer.Completed.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                var (signed, canonical) = builder.Build(response);
                store.Insert(signed, canonical, response.CompletionTokenIds);
                AttributionMetrics.TracesRecorded.Inc();
                sealer.OnTraceStored();
            }
            catch (Exception ex)
            {
                AttributionMetrics.TraceFailures.Inc();
                logger.LogError(ex, "Could not record trace {TraceId}", response.TraceId);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        tracer.Close();
        await base.StopAsync(cancellationToken);
    }
}
