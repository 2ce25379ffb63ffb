namespace OpenLoRA.Billing.Ledger;

/// <summary>Who shares one charge: the adapter's publisher and the trace's contributors, whose ppm scores sum to
/// 1,000,000, or none (then the contributors' share goes to the publisher).</summary>
public sealed record SplitRecipients(string Publisher, IReadOnlyList<ContributorShare> Contributors)
{
    public static SplitRecipients PublisherOnly(string publisher) => new(publisher, []);
}
