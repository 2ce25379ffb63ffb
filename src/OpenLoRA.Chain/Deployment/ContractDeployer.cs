using System.Numerics;
using Nethereum.Web3;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Messages;

namespace OpenLoRA.Chain.Deployment;

/// <summary>
/// Deploys DevOpenToken, AttributionRegistry and InferenceEscrow from the embedded artifacts with the account the
/// <see cref="IWeb3"/> was built with (which becomes the registry owner and the token's minter). For local chains:
/// a real network gets the real OPEN token, not DevOpenToken.
/// </summary>
public sealed class ContractDeployer
{
    private readonly IWeb3 _web3;
    private readonly string _deployer;

    public ContractDeployer(IWeb3 web3, string deployerAddress)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentException.ThrowIfNullOrWhiteSpace(deployerAddress);
        _web3 = web3;
        _deployer = deployerAddress;
    }

    public async Task<ChainDeployment> DeployAsync(ContractDeploymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chainId = (ulong)(await _web3.Eth.ChainId.SendRequestAsync().ConfigureAwait(false)).Value;
        var operatorAddress = request.Operator ?? _deployer;

        var token = await DeployOneAsync(new DevOpenTokenDeployment(), cancellationToken)
            .ConfigureAwait(false);
        var registry = await DeployOneAsync(new AttributionRegistryDeployment(), cancellationToken)
            .ConfigureAwait(false);
        var escrow = await DeployOneAsync(
            new InferenceEscrowDeployment
            {
                Token = token.Address,
                Operator = operatorAddress,
                WithdrawalDelay = (ulong)request.WithdrawalDelay.TotalSeconds,
            },
            cancellationToken).ConfigureAwait(false);

        var deployment = new ChainDeployment(
            chainId, token.Address, registry.Address, escrow.Address, token.Block, _deployer, operatorAddress);

        foreach (var submitter in request.Submitters)
        {
            await AuthorizeSubmitterAsync(deployment, submitter, cancellationToken).ConfigureAwait(false);
        }

        foreach (var mint in request.Mints)
        {
            await MintDevTokensAsync(deployment, mint.Address, mint.Amount, cancellationToken).ConfigureAwait(false);
        }

        return deployment;
    }

    /// <summary>Adds <paramref name="submitter"/> to the registry's submitters (the deployer owns the registry).</summary>
    public Task<ChainTransaction> AuthorizeSubmitterAsync(ChainDeployment deployment, string submitter, CancellationToken cancellationToken = default) =>
        new AttributionRegistryClient(_web3, deployment.RegistryAddress).AddSubmitterAsync(submitter, cancellationToken);

    /// <summary>Mints DevOpenToken to <paramref name="to"/> (the deployer is the token's owner).</summary>
    public Task<ChainTransaction> MintDevTokensAsync(ChainDeployment deployment, string to, BigInteger amount, CancellationToken cancellationToken = default) =>
        ContractCalls.SendAsync(_web3, deployment.TokenAddress, new MintFunction { To = to, Amount = amount }, cancellationToken);

    private async Task<(string Address, ulong Block)> DeployOneAsync<TDeployment>(TDeployment deployment, CancellationToken cancellationToken)
        where TDeployment : Nethereum.Contracts.ContractDeploymentMessage, new()
    {
        var receipt = await _web3.Eth.GetContractDeploymentHandler<TDeployment>()
            .SendRequestAndWaitForReceiptAsync(deployment, cancellationToken).ConfigureAwait(false);
        var transaction = ContractCalls.ToChainTransaction(receipt);
        return (receipt.ContractAddress, transaction.BlockNumber);
    }
}
