using System.Buffers.Binary;

namespace OpenLoRA.Attribution.Datanets;

/// <summary>
/// Layout of an index file, version 1. All integers little-endian (the file is memory-mapped and read in place).
/// <code>
/// 0   magic "OLDATIDX"             8 bytes
/// 8   version (u32) = 1
/// 12  header size (u32) = 112
/// 16  corpus length (i64)           tokens including one separator (-1) after every record
/// 24  suffix count (i64)            = corpus length - record count (separator suffixes are not stored)
/// 32  record count (i64)
/// 40  record table length (i64)     bytes
/// 48  root (32 bytes)               see DatanetIndexRoot
/// 80  suffix array sha256 (32)      guards the one section the root does not cover
/// 112 tokens      i32[corpus length]
///     suffix array i32[suffix count]            (8-byte aligned)
///     record starts i32[record count]           (8-byte aligned)
///     record table: per record u16 id length, id UTF-8, 20-byte contributor (8-byte aligned)
/// end of file = end of record table, exactly
/// </code>
/// </summary>
internal static class DatanetIndexFormat
{
    public const int Version = 1;
    public const int HeaderSize = 112;
    public const int Separator = -1;
    public const int AddressBytes = 20;

    /// <summary>Suffix-array entries are i32 and spans are int-indexed.</summary>
    public const long MaxCorpusLength = int.MaxValue - 64;

    public static ReadOnlySpan<byte> Magic => "OLDATIDX"u8;

    public static long Align8(long offset) => (offset + 7) & ~7L;

    internal readonly record struct Layout(long TokensOffset, long SuffixOffset, long StartsOffset, long TableOffset, long FileLength);

    /// <summary>Section offsets from the counts; checked arithmetic so absurd header values fail instead of wrapping.</summary>
    public static Layout ComputeLayout(long corpusLength, long suffixCount, long recordCount, long tableLength)
    {
        checked
        {
            long tokens = HeaderSize;
            long suffix = Align8(tokens + corpusLength * 4);
            long starts = Align8(suffix + suffixCount * 4);
            long table = Align8(starts + recordCount * 4);
            return new Layout(tokens, suffix, starts, table, table + tableLength);
        }
    }

    public static void WriteHeader(Span<byte> header, long corpusLength, long suffixCount, long recordCount, long tableLength,
        ReadOnlySpan<byte> root, ReadOnlySpan<byte> suffixHash)
    {
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], corpusLength);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], suffixCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], recordCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], tableLength);
        root.CopyTo(header[48..]);
        suffixHash.CopyTo(header[80..]);
    }
}
