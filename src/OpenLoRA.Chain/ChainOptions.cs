namespace OpenLoRA.Chain;

/// <summary>
/// Bound from "OpenLoRA:Chain". The submitter's private key is never a setting: it comes from an environment
/// variable or an encrypted keystore file named here, so it does not end up in appsettings or in logs.
/// </summary>
public sealed class ChainOptions
{
    public const string SectionName = "OpenLoRA:Chain";

    public ChainMode Mode { get; set; } = ChainMode.Off;

    public string? RpcUrl { get; set; }

    /// <summary>Expected chain id (EIP-155 replay protection). 0 in local mode means anvil's 31337.</summary>
    public ulong ChainId { get; set; }

    public string? TokenAddress { get; set; }

    public string? RegistryAddress { get; set; }

    public string? EscrowAddress { get; set; }

    /// <summary>Local mode: the anvil executable; null finds the one npm installed under the repository's node_modules.</summary>
    public string? AnvilPath { get; set; }

    /// <summary>Where chain-deployment.json is read from when the addresses are not configured (local mode).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Blocks on top of the one holding a transaction before it counts as final (0 = mined is enough).</summary>
    public int Confirmations { get; set; } = 1;

    /// <summary>Environment variable holding the submitter's hex private key.</summary>
    public string SubmitterKeyEnvironmentVariable { get; set; } = "OPENLORA_CHAIN_SUBMITTER_KEY";

    /// <summary>Web3 secret-storage keystore file with the submitter key (used when the environment variable is unset).</summary>
    public string? SubmitterKeystorePath { get; set; }

    /// <summary>Environment variable holding the keystore's password.</summary>
    public string SubmitterKeystorePasswordEnvironmentVariable { get; set; } = "OPENLORA_CHAIN_KEYSTORE_PASSWORD";

    /// <summary>SQLite connection string for the proof submitter's outbox; null = the server's own database in its
    /// data directory (<c>data/openlora.db</c>), which is what every deployment should use.</summary>
    public string? OutboxConnectionString { get; set; }

    /// <summary>How long a sent commit may stay unmined before it is re-sent on the same nonce with higher fees.</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the submitter polls for receipts and new outbox items.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries while the RPC endpoint is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The chain id to sign for: the configured one, or anvil's in local mode.</summary>
    public ulong EffectiveChainId => ChainId == 0 && Mode == ChainMode.Local ? Anvil.AnvilDevAccounts.ChainId : ChainId;
}
