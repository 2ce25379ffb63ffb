using System.ComponentModel.DataAnnotations;

namespace OpenLoRA.Server.Billing;

/// <summary>
/// Bound from <c>OpenLoRA:Billing</c> (the same section holds the billing library's shares, fee and base-model
/// prices). With billing on, every inference call needs an API key and is charged in OPEN.
/// </summary>
internal sealed class BillingServerOptions
{
    public const string SectionName = "OpenLoRA:Billing";

    public bool Enabled { get; set; }

    /// <summary>How often escrow deposits are read from the chain (after <c>OpenLoRA:Chain:Confirmations</c>).</summary>
    public TimeSpan DepositPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often an epoch is closed and settled on-chain through InferenceEscrow; zero turns it off.</summary>
    public TimeSpan EpochInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Local chain only: fund anvil's dev account 1 and write its API key to data/dev-api-key.txt on first start.</summary>
    public bool DevelopmentAccount { get; set; }
}
