namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>Attribution tests against one real server; not parallel with other collections, for the 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AttributionServerCollection : ICollectionFixture<AttributionServerFixture>
{
    public const string Name = "attribution server";
}
