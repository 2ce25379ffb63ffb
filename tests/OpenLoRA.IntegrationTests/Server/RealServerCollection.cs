namespace OpenLoRA.IntegrationTests.Server;

/// <summary>
/// Tests against one real server process. Not run in parallel with other collections: a 2-core machine runs one
/// CPU-bound engine at a time well, and timings-sensitive paths (queue overflow) stay predictable.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealServerCollection : ICollectionFixture<SmallContextServerFixture>
{
    public const string Name = "real server";
}
