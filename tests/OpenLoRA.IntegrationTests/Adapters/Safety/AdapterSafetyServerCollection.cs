namespace OpenLoRA.IntegrationTests.Adapters.Safety;

/// <summary>
/// Adapters that cannot run safely, against the two safety servers (ggml and LLamaSharp) side by side; not
/// parallel with other collections, for the 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AdapterSafetyServerCollection : ICollectionFixture<AdapterSafetyServerFixture>, ICollectionFixture<LlamaSharpAdapterSafetyServerFixture>
{
    public const string Name = "adapter safety servers";
}
