using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Server;

/// <summary>The real server with one sequence slot and a queue of one, so concurrent requests overflow it.</summary>
public sealed class SingleSlotServerFixture : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Engine:BaseModels:0:ContextSize", "512"),
        new("OpenLoRA:Engine:BaseModels:0:MaxSequences", "1"),
        new("OpenLoRA:Engine:BaseModels:0:QueueCapacity", "1"),
    ];
}
