namespace OpenLoRA.Cli.Verification;

/// <summary>Strict parsing of the 0x-prefixed hashes the server sends.</summary>
internal static class HexBytes
{
    /// <summary>0x + exactly 2×<paramref name="length"/> hex digits (either case) into bytes; false otherwise.</summary>
    public static bool TryParse(string? text, int length, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length != 2 + 2 * length || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var c in text.AsSpan(2))
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        bytes = Convert.FromHexString(text.AsSpan(2));
        return true;
    }

    public static string ToHex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
