using Prometheus;

namespace OpenLoRA.Server.Billing;

/// <summary>Prometheus series of billing.</summary>
internal static class BillingMetrics
{
    public static readonly Counter Deposits = Prometheus.Metrics.CreateCounter(
        "openlora_billing_deposits_total", "Escrow deposits credited to accounts.");

    public static readonly Counter EpochsSettled = Prometheus.Metrics.CreateCounter(
        "openlora_billing_epochs_settled_total", "Epochs settled on InferenceEscrow.");

    public static readonly Counter InsufficientQuota = Prometheus.Metrics.CreateCounter(
        "openlora_billing_insufficient_quota_total", "Requests refused with 402 because the balance could not cover prompt + max_tokens.");

    public static readonly Counter SettlementFailures = Prometheus.Metrics.CreateCounter(
        "openlora_billing_settlement_failures_total", "Charges or traces that could not be written: a complete response then ends with settlement_failed instead of its final chunk.");
}
