using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters.Scale;

/// <summary>A real server whose resident adapter set is capped at 32, with room to queue a burst of requests.</summary>
public sealed class ScaleServerFixture : ServerFixture
{
    public const int ResidentCap = 32;

    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Engine:BaseModels:0:MaxResidentAdapters", ResidentCap.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("OpenLoRA:Engine:BaseModels:0:MaxSequences", "8"),
        new("OpenLoRA:Engine:BaseModels:0:ContextSize", "512"),
        new("OpenLoRA:Engine:BaseModels:0:QueueCapacity", "1024"),
    ];
}
