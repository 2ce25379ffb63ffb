using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>A server with its local chain, of its own, for tests that kill it; batches of two traces.</summary>
public sealed class ChainCrashServerFixture : LocalChainServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        .. ChainSettings,
        new("OpenLoRA:Attribution:BatchMaxTraces", "2"),
        new("OpenLoRA:Attribution:BatchIntervalSeconds", "86400"),
    ];
}
