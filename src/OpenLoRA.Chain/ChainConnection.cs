using Microsoft.Extensions.Options;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;

namespace OpenLoRA.Chain;

/// <summary>
/// The configured chain: a Web3 that signs locally with the submitter key, the contract addresses (from options
/// or, in local mode, from the data directory's chain-deployment.json) and the typed clients over them.
/// Built on first use so the server starts even while the deployment file is still being written.
/// </summary>
public sealed class ChainConnection
{
    private readonly ChainOptions _options;
    private readonly Lazy<State> _state;

    public ChainConnection(IOptions<ChainOptions> options)
    {
        _options = options.Value;
        if (_options.Mode == ChainMode.Off)
        {
            throw new InvalidOperationException("The chain is off (OpenLoRA:Chain:Mode = off).");
        }

        _state = new Lazy<State>(Connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public IWeb3 Web3 => _state.Value.Web3;

    public string SubmitterAddress => _state.Value.Account.Address;

    public ChainDeployment Deployment => _state.Value.Deployment;

    public AttributionRegistryClient Registry => _state.Value.Registry;

    public InferenceEscrowClient Escrow => _state.Value.Escrow;

    /// <summary>The one owner of the submitter key's nonces: the proof submitter and the epoch settlement both sign through it.</summary>
    public NonceOwner Nonces => _state.Value.Nonces;

    internal Account Account => _state.Value.Account;

    private State Connect()
    {
        var chainId = _options.EffectiveChainId;
        var account = new Account(SubmitterKeySource.Resolve(_options), chainId);
        var web3 = new Web3(account, _options.RpcUrl);
        var deployment = ResolveDeployment(chainId);
        var nonces = new NonceOwner(web3, account.Address);
        return new State(
            web3,
            account,
            deployment,
            nonces,
            new AttributionRegistryClient(web3, deployment.RegistryAddress),
            new InferenceEscrowClient(web3, deployment.EscrowAddress, deployment.TokenAddress, nonces));
    }

    private ChainDeployment ResolveDeployment(ulong chainId)
    {
        if (_options is { TokenAddress: { } token, RegistryAddress: { } registry, EscrowAddress: { } escrow })
        {
            return new ChainDeployment(chainId, token, registry, escrow, 0, "", "");
        }

        var saved = ChainDeployment.TryLoadAsync(_options.DataDirectory!).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException(
                $"No contract addresses configured and no {ChainDeployment.FileName} in '{_options.DataDirectory}'.");
        if (saved.ChainId != chainId)
        {
            throw new InvalidOperationException(
                $"{ChainDeployment.PathIn(_options.DataDirectory!)} is for chain {saved.ChainId}, not {chainId}.");
        }

        return saved;
    }

    private sealed record State(
        IWeb3 Web3, Account Account, ChainDeployment Deployment, NonceOwner Nonces, AttributionRegistryClient Registry, InferenceEscrowClient Escrow);
}
