namespace OpenLoRA.Chain.Anvil;

/// <summary>How <see cref="AnvilProcess"/> starts anvil.</summary>
public sealed class AnvilOptions
{
    /// <summary>The anvil executable; by default the one npm installed under the repository's node_modules.</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>Where to look for node_modules; by default the nearest folder with package.json above the current
    /// directory or the application's base directory.</summary>
    public string? RepositoryRoot { get; set; }

    /// <summary>Loopback port; 0 picks a free one at start.</summary>
    public int Port { get; set; }

    public ulong ChainId { get; set; } = AnvilDevAccounts.ChainId;

    /// <summary>
    /// State file (anvil --state): loaded at start when it exists and written when the process is stopped with
    /// <see cref="AnvilProcess.StopAsync"/>, so a restart keeps every block, receipt and log. Null = in memory only.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>Seconds between blocks; null mines one block per transaction as it arrives (anvil's automine).</summary>
    public int? BlockTimeSeconds { get; set; }

    /// <summary>How long to wait for eth_chainId to answer. Generous because CI machines are loaded; anvil normally
    /// answers in under 3 s.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <see cref="AnvilProcess.StopAsync"/> waits for anvil to write its state and exit.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IList<string> ExtraArguments { get; } = [];
}
