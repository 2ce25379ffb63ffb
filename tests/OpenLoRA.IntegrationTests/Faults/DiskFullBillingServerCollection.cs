namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>The test that fills the billing server's disk; not parallel with other collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiskFullBillingServerCollection : ICollectionFixture<DiskFullBillingServerFixture>
{
    public const string Name = "billing server on a small tmpfs";
}
