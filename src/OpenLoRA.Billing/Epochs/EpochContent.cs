namespace OpenLoRA.Billing.Epochs;

/// <summary>What an epoch covers, aggregated and sorted for the manifest.</summary>
internal sealed record EpochContent(
    int ChargeCount,
    IReadOnlyList<EpochAmount> Debits,
    IReadOnlyList<EpochAmount> Credits,
    IReadOnlyList<string> TraceIds);
