using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace OpenLoRA.Attribution.Datanets;

/// <summary>
/// The index root: SHA-256 over a canonical encoding of the Datanet's content, independent of the file layout
/// and of the suffix array (which is a pure function of the tokens). Two machines that tokenize the same Datanet
/// with the same tokenizer get the same root. SHA-256 rather than keccak because the root names a file (like
/// adapter hashes) and is checked off-chain at every open; on-chain it travels as an opaque bytes32.
/// <code>
/// "OpenLoRA/datanet-index/v1"             ASCII domain tag, 25 bytes
/// u64 LE record count
/// per record, in Datanet order:
///   u32 LE id length, id UTF-8
///   20 bytes contributor address
///   u64 LE token count, then each token as i32 LE
/// </code>
/// </summary>
public static class DatanetIndexRoot
{
    private static ReadOnlySpan<byte> DomainTag => "OpenLoRA/datanet-index/v1"u8;

    public static string Compute(IReadOnlyList<TokenizedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var hasher = new Hasher(records.Count);
        foreach (TokenizedRecord record in records)
        {
            string contributor = EthereumAddress.Normalize(record.Contributor, nameof(records));
            hasher.AddRecord(Encoding.UTF8.GetBytes(record.Id), EthereumAddress.ToBytes(contributor), record.Tokens);
        }
        return ToHex(hasher.Finish());
    }

    internal static string ToHex(ReadOnlySpan<byte> hash) => "0x" + Convert.ToHexStringLower(hash);

    /// <summary>Incremental form used by the writer and by the reader over mapped memory.</summary>
    internal sealed class Hasher : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public Hasher(long recordCount)
        {
            Span<byte> buffer = stackalloc byte[8];
            _hash.AppendData(DomainTag);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)recordCount);
            _hash.AppendData(buffer);
        }

        public void AddRecord(ReadOnlySpan<byte> idUtf8, ReadOnlySpan<byte> contributor20, ReadOnlySpan<int> tokens)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)idUtf8.Length);
            _hash.AppendData(buffer[..4]);
            _hash.AppendData(idUtf8);
            _hash.AppendData(contributor20);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)tokens.Length);
            _hash.AppendData(buffer);
            if (BitConverter.IsLittleEndian)
            {
                _hash.AppendData(MemoryMarshal.AsBytes(tokens));
            }
            else
            {
                foreach (int token in tokens)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(buffer, token);
                    _hash.AppendData(buffer[..4]);
                }
            }
        }

        public byte[] Finish() => _hash.GetHashAndReset();

        public void Dispose() => _hash.Dispose();
    }
}
