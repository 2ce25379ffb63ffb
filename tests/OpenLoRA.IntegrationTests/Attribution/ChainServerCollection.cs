namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>Tests of the server with its local chain; not parallel with other collections, for the 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChainServerCollection : ICollectionFixture<ChainServerFixture>
{
    public const string Name = "chain server";
}
