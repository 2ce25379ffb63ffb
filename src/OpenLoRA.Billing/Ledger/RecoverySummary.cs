namespace OpenLoRA.Billing.Ledger;

/// <summary>What <see cref="BillingLedger.ResolveOpenReservationsAsync"/> did.</summary>
public sealed record RecoverySummary(int Settled, int Released);
