namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// Publishing tests against one real server with its own data directory; each test uploads content of its own seed
/// so their adapters never collide. Not parallel with other collections, for the 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AdapterServerCollection : ICollectionFixture<AdapterServerFixture>
{
    public const string Name = "adapter publishing server";
}
