using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using OpenLoRA.Chain.Submission;
using OpenLoRA.Server.Attribution;

namespace OpenLoRA.Server.Chain;

/// <summary>
/// Hands sealed attribution batches to the proof submitter's durable outbox, in batch-id order. On start it first
/// enqueues the sealed batches past the outbox's highest id: a crash between sealing a batch (attribution tables)
/// and enqueueing it (outbox) therefore delays the batch, never loses it. Enqueueing is idempotent.
/// </summary>
internal sealed class BatchCommitBridge(
    ProofSubmitter submitter, TraceStore traces, BatchSealer sealer, ILogger<BatchCommitBridge> logger) : BackgroundService
{
    private readonly Channel<StoredBatch> _sealed = Channel.CreateUnbounded<StoredBatch>(new UnboundedChannelOptions { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        sealer.Sealed += OnSealed;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Stops after the sealer's last seal (registered before it), so that batch is enqueued too.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        sealer.Sealed -= OnSealed;
        _sealed.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Batches are enqueued in id order, so only those past the outbox's highest can be missing from it.
            for (var id = (long)await submitter.NextUnqueuedBatchIdAsync(stoppingToken); traces.FindBatch(id) is { } batch; id++)
            {
                await EnqueueAsync(batch, stoppingToken);
            }

            // Drained to the end even while stopping: the writer completes only after the last seal.
            await foreach (var batch in _sealed.Reader.ReadAllAsync(CancellationToken.None))
            {
                await EnqueueAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Batches sealed but not enqueued are picked up by the catch-up pass of the next start.
        }
    }

    private void OnSealed(StoredBatch batch) => _sealed.Writer.TryWrite(batch);

    private async Task EnqueueAsync(StoredBatch batch, CancellationToken cancellationToken)
    {
        var uri = $"openlora:batch/{batch.Id}";
        await submitter.EnqueueAsync(
            (ulong)batch.Id,
            Convert.FromHexString(batch.Root.AsSpan(2)),
            (uint)batch.Count,
            Convert.FromHexString(batch.ManifestHash.AsSpan(2)),
            uri,
            cancellationToken);
        logger.LogDebug("Batch {BatchId} queued for commitment", batch.Id);
    }
}
