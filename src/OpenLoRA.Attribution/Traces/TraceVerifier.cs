using Nethereum.Signer;
using OpenLoRA.Attribution.Datanets;

namespace OpenLoRA.Attribution.Traces;

/// <summary>Checks trace signatures by recomputing the canonical hash and recovering the EIP-191 signer.</summary>
public static class TraceVerifier
{
    /// <summary>The address that produced <paramref name="signature"/> over the trace's hash, or null if the signature is malformed.</summary>
    public static string? RecoverSigner(AttributionTrace trace, string signature)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return RecoverHashSigner(TraceEncoder.Hash(trace), signature);
    }

    public static string? RecoverHashSigner(ReadOnlySpan<byte> hash32, string signature)
    {
        if (hash32.Length != 32) throw new ArgumentException("Expected a 32-byte hash.", nameof(hash32));
        string hex = signature is not null && signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signature[2..] : signature ?? "";
        if (hex.Length != 130 || !HexText.IsHex(hex)) return null;
        byte v = Convert.ToByte(hex[128..], 16);
        if (v is not (27 or 28)) return null;
        try
        {
            return new EthereumMessageSigner().EcRecover(hash32.ToArray(), "0x" + hex);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or ArithmeticException)
        {
            return null;
        }
    }

    /// <summary>True when the signature over the trace recovers to <paramref name="expectedSigner"/>.</summary>
    public static bool Verify(AttributionTrace trace, string signature, string expectedSigner)
    {
        string expected = EthereumAddress.Normalize(expectedSigner, nameof(expectedSigner));
        string? recovered = RecoverSigner(trace, signature);
        return recovered is not null && string.Equals(recovered, expected, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the stored hash matches the trace and the signature recovers to the stored signer.</summary>
    public static bool Verify(SignedAttributionTrace signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        string hash = TraceEncoder.HashHex(signed.Trace);
        return string.Equals(hash, signed.TraceHash, StringComparison.OrdinalIgnoreCase) && Verify(signed.Trace, signed.Signature, signed.Signer);
    }
}
