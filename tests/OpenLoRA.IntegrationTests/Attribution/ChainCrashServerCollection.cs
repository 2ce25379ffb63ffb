namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>Tests that kill the server with its local chain; not parallel with other collections, for the 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChainCrashServerCollection : ICollectionFixture<ChainCrashServerFixture>
{
    public const string Name = "chain crash server";
}
