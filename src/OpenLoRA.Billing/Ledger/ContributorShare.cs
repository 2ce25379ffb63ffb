namespace OpenLoRA.Billing.Ledger;

/// <summary>A data contributor and their attribution score in parts per million (from the response's trace).</summary>
public sealed record ContributorShare(string Address, int Ppm);
