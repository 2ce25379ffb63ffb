namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>The chain fault suite; not parallel with other collections (it owns a server and its anvil).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChainFaultCollection : ICollectionFixture<ChainFaultServerFixture>
{
    public const string Name = "chain faults";
}
