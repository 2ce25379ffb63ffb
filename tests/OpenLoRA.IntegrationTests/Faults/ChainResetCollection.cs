namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>The chain reset test's own server; not parallel with other collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChainResetCollection : ICollectionFixture<ChainResetServerFixture>
{
    public const string Name = "chain reset fault";
}
