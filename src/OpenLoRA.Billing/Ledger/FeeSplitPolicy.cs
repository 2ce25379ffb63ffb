namespace OpenLoRA.Billing.Ledger;

/// <summary>The fee split in basis points of each charge (summing to 10,000) and the protocol's payee address.</summary>
public sealed record FeeSplitPolicy(int PublisherBps, int ContributorsBps, int ProtocolBps, string ProtocolAddress)
{
    public static FeeSplitPolicy From(BillingOptions options) =>
        new(options.PublisherShareBps, options.ContributorsShareBps, options.ProtocolShareBps, options.ProtocolAddress);
}
