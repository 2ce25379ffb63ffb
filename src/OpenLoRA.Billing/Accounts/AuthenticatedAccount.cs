namespace OpenLoRA.Billing.Accounts;

/// <summary>The account an API key belongs to, and which of its keys was used.</summary>
public sealed record AuthenticatedAccount(string Address, string KeyId);
