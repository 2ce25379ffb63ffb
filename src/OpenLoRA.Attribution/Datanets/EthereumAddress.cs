using System.Diagnostics.CodeAnalysis;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;

namespace OpenLoRA.Attribution.Datanets;

/// <summary>Validation and EIP-55 normalization of 0x addresses, shared by Datanets, scoring and traces.</summary>
internal static class EthereumAddress
{
    private static readonly AddressUtil s_util = new();

    /// <summary>
    /// Accepts 0x + 40 hex digits. All-lower or all-upper input is taken as is; mixed case must be a valid
    /// EIP-55 checksum, because a mixed-case address with a wrong checksum is most likely a typo that would
    /// send money to nobody.
    /// </summary>
    public static bool TryNormalize(string? value, [NotNullWhen(true)] out string? normalized, out string error)
    {
        normalized = null;
        if (value is null || value.Length != 42 || value[0] != '0' || (value[1] != 'x' && value[1] != 'X'))
        {
            error = "address must be 0x followed by 40 hex digits";
            return false;
        }
        bool hasLower = false, hasUpper = false;
        for (int i = 2; i < 42; i++)
        {
            char c = value[i];
            if (!char.IsAsciiHexDigit(c))
            {
                error = "address must be 0x followed by 40 hex digits";
                return false;
            }
            hasLower |= c is >= 'a' and <= 'f';
            hasUpper |= c is >= 'A' and <= 'F';
        }
        string body = "0x" + value[2..];
        if (hasLower && hasUpper && !s_util.IsChecksumAddress(body))
        {
            error = "address has mixed case but an invalid EIP-55 checksum";
            return false;
        }
        normalized = s_util.ConvertToChecksumAddress(body.ToLowerInvariant());
        error = "";
        return true;
    }

    public static string Normalize(string? value, string paramName)
    {
        if (!TryNormalize(value, out string? normalized, out string error))
            throw new ArgumentException($"Invalid address '{value}': {error}.", paramName);
        return normalized;
    }

    public static byte[] ToBytes(string normalized) => normalized.HexToByteArray();

    public static string FromBytes(ReadOnlySpan<byte> address20) =>
        s_util.ConvertToChecksumAddress("0x" + Convert.ToHexStringLower(address20));
}
