using System.Numerics;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLoRA.Chain;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Chain.Deployment;

namespace OpenLoRA.Server.Chain;

/// <summary>
/// Chain mode <c>local</c>: before the host is built, starts anvil (npm <c>@foundry-rs/anvil</c>) on a loopback port
/// with its state kept in the data directory (<c>anvil-state.json</c>, written when the server stops), deploys the
/// contracts once (or again when the chain lost them), funds development accounts with dev OPEN, records the
/// addresses in <c>chain-deployment.json</c>, and points the chain configuration at all of it. Stopped with the host.
/// </summary>
internal sealed class LocalChain : IAsyncDisposable
{
    public const string StateFile = "anvil-state.json";

    /// <summary>Dev OPEN minted to anvil's accounts 1–8 (users in development; 0 deploys and submits, 9 is the protocol), 1,000,000 OPEN each.</summary>
    private static readonly BigInteger DevMint = BigInteger.Pow(10, 18) * 1_000_000;

    private readonly AnvilProcess _anvil;

    private LocalChain(AnvilProcess anvil, ChainDeployment deployment)
    {
        _anvil = anvil;
        Deployment = deployment;
    }

    public string RpcUrl => _anvil.RpcUrl;

    public ChainDeployment Deployment { get; }

    /// <summary>Starts the local chain when <c>OpenLoRA:Chain:Mode</c> is <c>local</c> and no RPC URL is configured.</summary>
    public static async Task<LocalChain?> StartIfConfiguredAsync(ConfigurationManager configuration, string contentRoot, ILogger logger, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(ChainOptions.SectionName);
        if (section.GetValue<ChainMode>(nameof(ChainOptions.Mode)) != ChainMode.Local)
        {
            return null;
        }

        var dataDirectory = Path.GetFullPath(configuration["OpenLoRA:Engine:DataDirectory"] ?? "data", contentRoot);
        Directory.CreateDirectory(dataDirectory);
        var port = 0;
        if (section[nameof(ChainOptions.RpcUrl)] is { Length: > 0 } configured)
        {
            // A fixed loopback port asked for (tests that read the chain themselves choose it).
            var uri = new Uri(configured, UriKind.Absolute);
            if (!uri.IsLoopback)
            {
                throw new InvalidOperationException($"In local mode OpenLoRA:Chain:RpcUrl must be a loopback address, not '{configured}'.");
            }

            port = uri.Port;
        }

        var anvil = await AnvilProcess.StartAsync(
            new AnvilOptions
            {
                Port = port,
                StatePath = Path.Combine(dataDirectory, StateFile),
                ExecutablePath = section[nameof(ChainOptions.AnvilPath)] is { Length: > 0 } anvilPath ? Path.GetFullPath(anvilPath, contentRoot) : null,
            }, cancellationToken);
        if (anvil.EndedPredecessors.Count > 0)
        {
            logger.LogWarning(
                "Stopped {Count} process(es) still running the local chain on {State} (left by a server that did not stop cleanly) before starting it again",
                anvil.EndedPredecessors.Count,
                Path.Combine(dataDirectory, StateFile));
        }

        try
        {
            var deployment = await EnsureDeployedAsync(anvil, dataDirectory, logger, cancellationToken);
            section[nameof(ChainOptions.RpcUrl)] = anvil.RpcUrl;
            section[nameof(ChainOptions.DataDirectory)] ??= dataDirectory;
            section[nameof(ChainOptions.OutboxConnectionString)] ??= $"Data Source={Path.Combine(dataDirectory, Engine.Storage.SqliteDatabase.FileName)}";
            logger.LogInformation(
                "Local chain {ChainId} at {RpcUrl}: registry {Registry}, escrow {Escrow}, token {Token}",
                deployment.ChainId, anvil.RpcUrl, deployment.RegistryAddress, deployment.EscrowAddress, deployment.TokenAddress);
            return new LocalChain(anvil, deployment);
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _anvil.StopAsync();
        }
        finally
        {
            await _anvil.DisposeAsync();
        }
    }

    private static async Task<ChainDeployment> EnsureDeployedAsync(AnvilProcess anvil, string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var deployer = new Account(AnvilDevAccounts.PrivateKeys[0], anvil.ChainId);
        var web3 = new Web3(deployer, anvil.RpcUrl);
        var saved = await ChainDeployment.TryLoadAsync(dataDirectory, cancellationToken);
        if (saved is not null && saved.ChainId == anvil.ChainId && await HasCodeAsync(web3, saved.RegistryAddress))
        {
            return saved;
        }

        if (saved is not null)
        {
            logger.LogWarning("The local chain lost the contracts of {File}; deploying them again.", ChainDeployment.PathIn(dataDirectory));
        }

        var deployment = await new ContractDeployer(web3, deployer.Address).DeployAsync(
            new ContractDeploymentRequest
            {
                Submitters = [deployer.Address],
                Mints = [.. AnvilDevAccounts.Addresses.Skip(1).Take(8).Select(a => new AccountAmount(a, DevMint))],
            },
            cancellationToken);
        await deployment.SaveAsync(dataDirectory, cancellationToken);
        return deployment;
    }

    private static async Task<bool> HasCodeAsync(IWeb3 web3, string address)
    {
        var code = await web3.Eth.GetCode.SendRequestAsync(address);
        return code is { Length: > 2 };
    }
}
