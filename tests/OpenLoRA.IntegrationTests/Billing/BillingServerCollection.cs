namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>Billing tests against one real server with its local chain; not parallel with other collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BillingServerCollection : ICollectionFixture<BillingServerFixture>
{
    public const string Name = "billing server";
}
