using System.Diagnostics.CodeAnalysis;
using Nethereum.Signer;

namespace OpenLoRA.Cli.Publishing;

/// <summary>A publisher's secp256k1 key, signing canonical messages the way <c>personal_sign</c> (EIP-191) does.</summary>
internal sealed class PublisherSigner
{
    public const string KeyVariable = "OPENLORA_PUBLISHER_KEY";

    private readonly EthECKey _key;

    private PublisherSigner(EthECKey key) => _key = key;

    /// <summary>The lower-case 0x address the server will record as the publisher.</summary>
    public string Address => _key.GetPublicAddress().ToLowerInvariant();

    /// <summary>From <c>--key</c>, else <see cref="KeyVariable"/>: 32 bytes of hex, with or without 0x.</summary>
    public static bool TryCreate(string? option, [NotNullWhen(true)] out PublisherSigner? signer, [NotNullWhen(false)] out string? error)
    {
        signer = null;
        var hex = (string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(KeyVariable) : option)?.Trim();
        if (string.IsNullOrEmpty(hex))
        {
            error = $"no publisher key: pass --key or set {KeyVariable}";
            return false;
        }

        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (digits.Length != 64 || !digits.All(char.IsAsciiHexDigit))
        {
            error = "the publisher key must be 32 bytes of hex (64 digits, optional 0x)";
            return false;
        }

        signer = new PublisherSigner(new EthECKey(digits));
        error = null;
        return true;
    }

    /// <summary>The 65-byte signature as 0x-prefixed hex.</summary>
    public string Sign(string message) => new EthereumMessageSigner().EncodeUTF8AndSign(message, _key);
}
