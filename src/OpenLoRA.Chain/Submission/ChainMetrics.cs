using Prometheus;

namespace OpenLoRA.Chain.Submission;

/// <summary>Prometheus series of the proof submitter.</summary>
internal static class ChainMetrics
{
    public static readonly Counter BatchesCommitted = Metrics.CreateCounter(
        "openlora_chain_batches_committed_total", "Attribution batches committed on-chain with the configured confirmations.");

    public static readonly Gauge Backlog = Metrics.CreateGauge(
        "openlora_chain_outbox_backlog", "Batches in the outbox not yet committed (grows while the RPC endpoint is down).");

    public static readonly Histogram SubmitLatency = Metrics.CreateHistogram(
        "openlora_chain_submit_latency_seconds",
        "From the first signed commitBatch transaction of a batch to its commitment being final.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.05, 2, 14) });

    public static readonly Counter TransactionsSent = Metrics.CreateCounter(
        "openlora_chain_transactions_sent_total", "commitBatch transactions signed, persisted and broadcast (fee bumps included).");

    public static readonly Counter TransactionFailures = Metrics.CreateCounter(
        "openlora_chain_transaction_failures_total",
        "Failed submitter work: kind=reverted (a mined commit reverted) or rpc (a cycle failed, e.g. the endpoint is down).",
        new CounterConfiguration { LabelNames = ["kind"] });

    public static readonly Counter FeeBumps = Metrics.CreateCounter(
        "openlora_chain_fee_bumps_total", "Stuck commitBatch transactions replaced on the same nonce with higher fees.");
}
