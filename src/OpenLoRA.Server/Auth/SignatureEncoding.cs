using System.Buffers;
using System.Buffers.Text;

namespace OpenLoRA.Server.Auth;

/// <summary>
/// Parses a 65-byte secp256k1 signature (r ‖ s ‖ v, hex, optional 0x) into one canonical form. Replay protection keys
/// on the signature's bytes, so every encoding of the same signature must map to the same bytes or be refused: v may
/// be 0/1 or 27/28 (stored as 27/28), and the high-s twin (n − s, which recovers the same address) is refused as EIP-2
/// does. Without that, anyone who saw a signature could mint a second valid one and replay the request.
/// </summary>
internal static class SignatureEncoding
{
    public const int Length = 65;

    /// <summary>n / 2 of secp256k1, big-endian: the largest s accepted.</summary>
    private static readonly byte[] HalfOrder = Convert.FromHexString("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0");

    public static bool TryParseCanonical(string text, out byte[] signature)
    {
        signature = [];
        var hex = text.AsSpan().Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        var bytes = new byte[Length];
        if (hex.Length != 2 * Length
            || Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done
            || written != Length)
        {
            return false;
        }

        var r = bytes.AsSpan(0, 32);
        var s = bytes.AsSpan(32, 32);
        var v = bytes[64] < 2 ? bytes[64] + 27 : bytes[64];
        if (v is not (27 or 28) || !r.ContainsAnyExcept((byte)0) || !s.ContainsAnyExcept((byte)0) || s.SequenceCompareTo(HalfOrder) > 0)
        {
            return false;
        }

        bytes[64] = (byte)v;
        signature = bytes;
        return true;
    }
}
