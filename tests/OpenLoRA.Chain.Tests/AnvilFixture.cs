using System.Numerics;
using Nethereum.Web3;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Deployment;

namespace OpenLoRA.Chain.Tests;

/// <summary>
/// One real anvil per test collection, killed when the collection ends (pass or fail). Tests deploy their own
/// contracts with <see cref="DeployAsync"/> so batch and epoch sequences never leak from one test to another.
/// </summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    public const int DeployerIndex = DevChain.DeployerIndex;
    public const int SubmitterIndex = DevChain.SubmitterIndex;
    public const int OperatorIndex = DevChain.OperatorIndex;

    public static readonly BigInteger OneToken = DevChain.OneToken;

    private DevChain? _chain;

    public AnvilProcess Anvil => Chain.Anvil;

    private DevChain Chain => _chain ?? throw new InvalidOperationException("anvil is not started.");

    public async Task InitializeAsync()
    {
        _chain = new DevChain(await AnvilProcess.StartAsync(new AnvilOptions()));
    }

    public Task DisposeAsync()
    {
        _chain?.Anvil.Dispose();
        return Task.CompletedTask;
    }

    public static string Address(int devIndex) => DevChain.Address(devIndex);

    public IWeb3 Web3For(int devIndex) => Chain.Web3For(devIndex);

    public Task<ChainDeployment> DeployAsync(TimeSpan? withdrawalDelay = null) => Chain.DeployAsync(withdrawalDelay);
}
