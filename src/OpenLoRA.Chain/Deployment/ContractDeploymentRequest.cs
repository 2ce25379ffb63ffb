namespace OpenLoRA.Chain.Deployment;

/// <summary>What <see cref="ContractDeployer.DeployAsync"/> sets up besides the three contracts.</summary>
public sealed class ContractDeploymentRequest
{
    /// <summary>The escrow operator (settles epochs); defaults to the deployer.</summary>
    public string? Operator { get; init; }

    /// <summary>Delay between a user's withdrawal request and its payout.</summary>
    public TimeSpan WithdrawalDelay { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Accounts authorized to commit attribution batches.</summary>
    public IReadOnlyList<string> Submitters { get; init; } = [];

    /// <summary>Dev OPEN minted right after deployment (local chains only).</summary>
    public IReadOnlyList<Clients.AccountAmount> Mints { get; init; } = [];
}
