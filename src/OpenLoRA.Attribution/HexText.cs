namespace OpenLoRA.Attribution;

/// <summary>Hex-digit checks shared by hash, key and signature validation.</summary>
internal static class HexText
{
    public static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }
}
