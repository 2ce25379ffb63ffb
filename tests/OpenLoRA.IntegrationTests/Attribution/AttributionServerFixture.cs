using OpenLoRA.IntegrationTests.Adapters;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>
/// The real server with attribution batches of two traces and no timed sealing, so which traces share a batch
/// depends only on the order they were stored in.
/// </summary>
public sealed class AttributionServerFixture : AdapterServerFixture
{
    public const int BatchSize = 2;

    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Attribution:BatchMaxTraces", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("OpenLoRA:Attribution:BatchIntervalSeconds", "86400"),
    ];
}
