using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpenLoRA.Attribution.Traces;

/// <summary>The content hashes a trace carries, all SHA-256 as 0x + 64 lowercase hex.</summary>
public static class TraceHashes
{
    /// <summary>sha256 of the token ids as consecutive i32 little-endian, the same encoding the Datanet root uses.</summary>
    public static string Tokens(ReadOnlySpan<int> tokens)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> buffer = stackalloc byte[4096];
        while (!tokens.IsEmpty)
        {
            int count = Math.Min(tokens.Length, buffer.Length / 4);
            for (int i = 0; i < count; i++) BinaryPrimitives.WriteInt32LittleEndian(buffer[(i * 4)..], tokens[i]);
            hash.AppendData(buffer[..(count * 4)]);
            tokens = tokens[count..];
        }
        return "0x" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>sha256 of the request body bytes as received.</summary>
    public static string Request(ReadOnlySpan<byte> body) => "0x" + Convert.ToHexStringLower(SHA256.HashData(body));
}
