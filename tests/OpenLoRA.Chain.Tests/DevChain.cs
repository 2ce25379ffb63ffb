using System.Numerics;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;

namespace OpenLoRA.Chain.Tests;

/// <summary>Roles and a fresh deployment on a running anvil, shared by the fixture and the tests that own their anvil.</summary>
internal sealed class DevChain(AnvilProcess anvil)
{
    public const int DeployerIndex = 0;
    public const int SubmitterIndex = 1;
    public const int OperatorIndex = 2;

    public static readonly BigInteger OneToken = BigInteger.Pow(10, 18);

    public AnvilProcess Anvil { get; } = anvil;

    public static string Address(int devIndex) => AnvilDevAccounts.Addresses[devIndex];

    public IWeb3 Web3For(int devIndex) =>
        new Web3(new Account(AnvilDevAccounts.PrivateKeys[devIndex], AnvilDevAccounts.ChainId), Anvil.RpcUrl);

    /// <summary>A fresh token, registry and escrow; dev key 1 may submit, dev key 2 operates the escrow, and users
    /// 3 to 5 hold 1000 OPEN each.</summary>
    public Task<ChainDeployment> DeployAsync(TimeSpan? withdrawalDelay = null) =>
        new ContractDeployer(Web3For(DeployerIndex), Address(DeployerIndex)).DeployAsync(new ContractDeploymentRequest
        {
            Operator = Address(OperatorIndex),
            WithdrawalDelay = withdrawalDelay ?? TimeSpan.FromHours(1),
            Submitters = [Address(SubmitterIndex)],
            Mints = [.. Enumerable.Range(3, 3).Select(i => new AccountAmount(Address(i), 1000 * OneToken))],
        });
}
