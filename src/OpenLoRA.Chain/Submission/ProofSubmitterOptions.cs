namespace OpenLoRA.Chain.Submission;

/// <summary>Everything <see cref="ProofSubmitter"/> needs; <see cref="ChainServiceCollectionExtensions.AddChain"/>
/// fills it from <see cref="ChainOptions"/> and the resolved deployment.</summary>
public sealed class ProofSubmitterOptions
{
    public required string RpcUrl { get; init; }

    public required ulong ChainId { get; init; }

    public required string RegistryAddress { get; init; }

    /// <summary>Hex private key of an authorized submitter. Kept in memory only, never logged.</summary>
    public required string SubmitterPrivateKey { get; init; }

    /// <summary>SQLite connection string of the outbox database (its tables are created when missing).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Blocks on top of the commit's block before it counts as final; 1 = mined.</summary>
    public int Confirmations { get; init; } = 1;

    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Test seam: false persists the signed transaction but skips the broadcast, as a crash right after
    /// the write would.</summary>
    internal bool BroadcastAfterPersist { get; init; } = true;
}
