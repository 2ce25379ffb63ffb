using System.Globalization;

namespace OpenLoRA.Billing.Accounts;

/// <summary>The text a wallet signs. It names the service, the address, a random nonce, the challenge id and the
/// expiry, so a signature cannot be replayed for another address, another challenge or after it expired.</summary>
internal static class ChallengeText
{
    public static string Build(string domain, string address, string challengeId, string nonce, DateTimeOffset expiresAt) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            {domain} wants you to sign in with your Ethereum account to issue an API key:
            {address}

            Challenge: {challengeId}
            Nonce: {nonce}
            Expires: {expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}
            """);
}
