namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>Dashboard tests in headless Chromium; not parallel with other collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardCollection : ICollectionFixture<DashboardServerFixture>
{
    public const string Name = "dashboard";
}
