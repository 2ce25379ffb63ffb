namespace OpenLoRA.Billing.Accounts;

/// <summary>What can be shown about an existing key: never the key itself.</summary>
public sealed record ApiKeyInfo(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
