namespace OpenLoRA.Billing;

/// <summary>Billing settings, bound from configuration (e.g. <c>OpenLoRA:Billing</c>) and validated on start.</summary>
public sealed class BillingOptions
{
    /// <summary>Used only when the host registers no <see cref="Storage.BillingDatabase"/> of its own (the server
    /// passes its shared database; a standalone tool may point at a file here).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Share of every charge for the adapter's publisher, in basis points. The three shares sum to 10,000.</summary>
    public int PublisherShareBps { get; set; } = 7000;

    /// <summary>Share of every charge for the adapter's data contributors (divided by trace ppm scores).</summary>
    public int ContributorsShareBps { get; set; } = 2000;

    /// <summary>Share of every charge for the protocol; it also receives every rounding remainder.</summary>
    public int ProtocolShareBps { get; set; } = 1000;

    /// <summary>The address the protocol share is credited to in epoch settlements.</summary>
    public string ProtocolAddress { get; set; } = "";

    /// <summary>Platform fee added on top of the adapter and base-model prices, in basis points.</summary>
    public int PlatformFeeBps { get; set; }

    /// <summary>How long a sign-in challenge can be redeemed.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Name shown in the challenge text so a wallet user sees who is asking.</summary>
    public string ChallengeDomain { get; set; } = "OpenLoRA";

    /// <summary>Base-model prices by model name (the engine's base model names).</summary>
    public Dictionary<string, ModelPrice> BaseModelPrices { get; set; } = new(StringComparer.Ordinal);
}
