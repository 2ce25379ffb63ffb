using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>The server with its local chain, committing attribution batches of two traces.</summary>
public sealed class ChainServerFixture : LocalChainServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        .. ChainSettings,
        new("OpenLoRA:Attribution:BatchMaxTraces", "2"),
        new("OpenLoRA:Attribution:BatchIntervalSeconds", "86400"),
    ];
}
