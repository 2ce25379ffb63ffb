using OpenLoRA.IntegrationTests.Adapters;

namespace OpenLoRA.IntegrationTests.Dashboard;

/// <summary>The real server, with adapters to upload, sealing Merkle batches every second so a trace's proof is there to check.</summary>
public sealed class DashboardServerFixture : AdapterServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Attribution:BatchIntervalSeconds", "1"),
    ];
}
