namespace OpenLoRA.Billing.Accounts;

/// <summary>A server-issued sign-in challenge: the wallet signs <see cref="Message"/> (EIP-191 personal_sign) and the
/// client redeems it with <see cref="Id"/> before <see cref="ExpiresAt"/>. Single use.</summary>
public sealed record LoginChallenge(string Id, string Address, string Message, DateTimeOffset ExpiresAt);
