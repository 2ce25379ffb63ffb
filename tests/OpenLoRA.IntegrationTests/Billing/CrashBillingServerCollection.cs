namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>Tests that kill the billing server; not parallel with other collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashBillingServerCollection : ICollectionFixture<CrashBillingServerFixture>
{
    public const string Name = "billing server that crashes";
}
