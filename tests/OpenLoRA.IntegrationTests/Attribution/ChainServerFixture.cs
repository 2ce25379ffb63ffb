using System.Globalization;
using OpenLoRA.IntegrationTests.Adapters;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Attribution;

/// <summary>
/// The real server in chain mode <c>local</c>, as the README's start command runs it: the server starts its own
/// anvil (killed with the server's process tree), deploys the contracts and commits attribution batches of two.
/// The RPC port is chosen here so the tests can read the chain themselves, as a validator would.
/// </summary>
public sealed class ChainServerFixture : AdapterServerFixture
{
    public ChainServerFixture() => RpcUrl = $"http://127.0.0.1:{FreeTcpPort.Next().ToString(CultureInfo.InvariantCulture)}";

    public string RpcUrl { get; }

    public string DataDirectory => Path.Combine(WorkDirectory, "data");

    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Chain:Mode", "local"),
        new("OpenLoRA:Chain:RpcUrl", RpcUrl),
        new("OpenLoRA:Chain:PollInterval", "00:00:00.200"),
        new("OpenLoRA:Attribution:BatchMaxTraces", "2"),
        new("OpenLoRA:Attribution:BatchIntervalSeconds", "86400"),
    ];
}
