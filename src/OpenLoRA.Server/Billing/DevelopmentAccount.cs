using System.Numerics;
using Microsoft.Extensions.Hosting;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Chain;
using OpenLoRA.Chain.Anvil;
using OpenLoRA.Chain.Clients;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Local chain only (<c>OpenLoRA:Billing:DevelopmentAccount</c>): so that the README's start command gives a working
/// paid API at once, anvil's dev account 1 signs in through the normal challenge flow, deposits 1,000 dev OPEN into the
/// escrow, and its API key is written to <c>data/dev-api-key.txt</c> (owner-only). Once: a later start finds the file.
/// These are public test keys on a throwaway chain; nothing of the kind happens in remote mode.
/// </summary>
internal sealed class DevelopmentAccount(
    AccountService accounts, BillingLedger ledger, ChainConnection chain, SqliteDatabase database, ILogger<DevelopmentAccount> logger) : BackgroundService
{
    public const string KeyFile = "dev-api-key.txt";
    private static readonly BigInteger Deposit = BigInteger.Pow(10, 18) * 1000;
    private static readonly TimeSpan CreditPollInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = Path.Combine(Path.GetDirectoryName(database.Path)!, KeyFile);
        if (File.Exists(path))
        {
            logger.LogInformation("Development API key (anvil account 1) in {Path}", path);
            return;
        }

        try
        {
            var key = new EthECKey(AnvilDevAccounts.PrivateKeys[1]);
            var address = key.GetPublicAddress();
            var challenge = await accounts.CreateChallengeAsync(address, stoppingToken);
            var signature = new EthereumMessageSigner().EncodeUTF8AndSign(challenge.Message, key);
            var issued = await accounts.RedeemChallengeAsync(address, challenge.Id, signature, stoppingToken);
            var web3 = new Web3(new Account(AnvilDevAccounts.PrivateKeys[1], AnvilDevAccounts.ChainId), chain.Web3.Client);
            await new InferenceEscrowClient(web3, chain.Deployment.EscrowAddress, chain.Deployment.TokenAddress).DepositAsync(Deposit, stoppingToken);

            // The key is handed out once the deposit watcher has credited the deposit, so the first call is paid for.
            while (((await ledger.GetAccountAsync(address, 0, stoppingToken))?.Deposited ?? BigInteger.Zero) < Deposit)
            {
                await Task.Delay(CreditPollInterval, stoppingToken);
            }

            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var writer = new StreamWriter(path, create))
            {
                await writer.WriteAsync(issued.ApiKey);
            }

            logger.LogInformation(
                "Development account {Address} deposited 1000 dev OPEN; its API key is in {Path} (curl -H \"Authorization: Bearer $(cat {Path})\" ...)",
                address, path, path);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not set up the development account; create one with POST /v1/accounts/challenge and POST /v1/accounts");
        }
    }
}
