namespace OpenLoRA.Billing.Accounts;

/// <summary>A new API key. <see cref="ApiKey"/> is shown to the user this once; only its sha256 is stored.</summary>
public sealed record IssuedApiKey(string KeyId, string Address, string ApiKey, DateTimeOffset CreatedAt);
