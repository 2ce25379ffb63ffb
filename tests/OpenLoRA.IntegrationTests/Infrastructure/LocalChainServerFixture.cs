using System.Globalization;
using OpenLoRA.IntegrationTests.Adapters;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>
/// The real server in chain mode <c>local</c>, as the README's start command runs it: the server starts its own
/// anvil (killed with the server's process tree) and deploys the contracts. The RPC port is chosen here so the
/// tests can read the chain themselves, as a validator would. Derive and add settings with <see cref="ChainSettings"/>.
/// </summary>
public abstract class LocalChainServerFixture : AdapterServerFixture
{
    protected LocalChainServerFixture() => RpcUrl = $"http://127.0.0.1:{FreeTcpPort.Next().ToString(CultureInfo.InvariantCulture)}";

    public string RpcUrl { get; }

    public string DataDirectory => Path.Combine(WorkDirectory, "data");

    /// <summary>The local chain's settings, for derived fixtures to extend.</summary>
    protected IEnumerable<KeyValuePair<string, string>> ChainSettings =>
    [
        new("OpenLoRA:Chain:Mode", "local"),
        new("OpenLoRA:Chain:RpcUrl", RpcUrl),
        new("OpenLoRA:Chain:PollInterval", "00:00:00.200"),
    ];
}
