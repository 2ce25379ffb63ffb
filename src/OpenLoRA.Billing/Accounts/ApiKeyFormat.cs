using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OpenLoRA.Billing.Accounts;

/// <summary>
/// API keys are "olk_" + base64url of 32 random bytes (256 bits). Only sha256(key) is stored, as lowercase hex,
/// and a key is found by looking its hash up. No constant-time compare is needed: the lookup compares hashes, not
/// secrets, so any timing difference leaks at most how many leading hash bytes a guess shares with a stored hash,
/// and knowing that does not help find a preimage of a 256-bit random key.
/// </summary>
internal static class ApiKeyFormat
{
    public const string Prefix = "olk_";
    private const int SecretBytes = 32;

    public static string NewKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The stored hash, or null when the text cannot be a key (so it is never looked up).</summary>
    public static string? TryHash(string? apiKey)
    {
        if (apiKey is null || !apiKey.StartsWith(Prefix, StringComparison.Ordinal) || apiKey.Length != Prefix.Length + 43)
        {
            return null;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(apiKey)));
    }
}
