namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>
/// Dashboard tests: one server and one browser for the collection. Not parallel with other collections, so the
/// throughput the charts show comes from these tests' own requests and a browser does not compete with other servers
/// for the machine's cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardCollection : ICollectionFixture<DashboardServerFixture>, ICollectionFixture<ChromiumFixture>
{
    public const string Name = "dashboard";
}
