using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>The real server with a 256-token context, so a too-long prompt is cheap to send.</summary>
public sealed class SmallContextServerFixture : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Engine:BaseModels:0:ContextSize", "256"),
    ];
}
