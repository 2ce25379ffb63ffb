using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace OpenLoRA.Attribution.Datanets;

/// <summary>
/// Builds the suffix-array index of a tokenized Datanet and writes it atomically: a temp file in the same
/// directory, flushed to disk, then renamed over the target, so a reader never maps a half-written index.
/// </summary>
public static class DatanetIndexWriter
{
    public static DatanetIndexSummary Write(string path, IReadOnlyList<TokenizedRecord> records)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(records);
        EnsureLittleEndian();

        var ids = new byte[records.Count][];
        var contributors = new byte[records.Count][];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long corpusLength = 0;
        long tableLength = 0;
        using var rootHasher = new DatanetIndexRoot.Hasher(records.Count);
        for (int r = 0; r < records.Count; r++)
        {
            TokenizedRecord record = records[r] ?? throw new ArgumentException($"Record {r} is null.", nameof(records));
            if (string.IsNullOrEmpty(record.Id)) throw new ArgumentException($"Record {r} has an empty id.", nameof(records));
            if (!seen.Add(record.Id)) throw new ArgumentException($"Record {r} repeats id '{record.Id}'.", nameof(records));
            ids[r] = Encoding.UTF8.GetBytes(record.Id);
            if (ids[r].Length > ushort.MaxValue)
                throw new ArgumentException($"Record '{record.Id}' has an id longer than {ushort.MaxValue} UTF-8 bytes.", nameof(records));
            if (!EthereumAddress.TryNormalize(record.Contributor, out string? contributor, out string error))
                throw new ArgumentException($"Record '{record.Id}': contributor '{record.Contributor}': {error}.", nameof(records));
            contributors[r] = EthereumAddress.ToBytes(contributor);
            if (record.Tokens is null || record.Tokens.Length == 0)
                throw new ArgumentException($"Record '{record.Id}' has no tokens.", nameof(records));
            foreach (int token in record.Tokens)
            {
                if (token < 0) throw new ArgumentException($"Record '{record.Id}' has negative token id {token}.", nameof(records));
            }
            corpusLength += record.Tokens.Length + 1;
            if (corpusLength > DatanetIndexFormat.MaxCorpusLength)
                throw new ArgumentException($"The Datanet exceeds {DatanetIndexFormat.MaxCorpusLength} tokens.", nameof(records));
            tableLength += 2 + ids[r].Length + DatanetIndexFormat.AddressBytes;
            rootHasher.AddRecord(ids[r], contributors[r], record.Tokens);
        }
        byte[] root = rootHasher.Finish();

        int[] corpus = new int[corpusLength];
        int[] starts = new int[records.Count];
        int position = 0;
        for (int r = 0; r < records.Count; r++)
        {
            starts[r] = position;
            records[r].Tokens.CopyTo(corpus, position);
            position += records[r].Tokens.Length;
            corpus[position++] = DatanetIndexFormat.Separator;
        }

        // The separator is the smallest value, so the suffixes starting at separators are exactly the first
        // records.Count entries; no query can match them, so they are not stored.
        int[] fullSa = SuffixArrayBuilder.Build(corpus);
        ReadOnlySpan<int> sa = fullSa.AsSpan(records.Count);
        byte[] suffixHash = SHA256.HashData(MemoryMarshal.AsBytes(sa));

        byte[] table = new byte[tableLength];
        int offset = 0;
        for (int r = 0; r < records.Count; r++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan(offset), (ushort)ids[r].Length);
            offset += 2;
            ids[r].CopyTo(table, offset);
            offset += ids[r].Length;
            contributors[r].CopyTo(table, offset);
            offset += DatanetIndexFormat.AddressBytes;
        }

        DatanetIndexFormat.Layout layout = DatanetIndexFormat.ComputeLayout(corpusLength, sa.Length, records.Count, tableLength);
        byte[] header = new byte[DatanetIndexFormat.HeaderSize];
        DatanetIndexFormat.WriteHeader(header, corpusLength, sa.Length, records.Count, tableLength, root, suffixHash);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                stream.Write(header);
                WriteAt(stream, layout.TokensOffset, MemoryMarshal.AsBytes(corpus.AsSpan()));
                WriteAt(stream, layout.SuffixOffset, MemoryMarshal.AsBytes(sa));
                WriteAt(stream, layout.StartsOffset, MemoryMarshal.AsBytes(starts.AsSpan()));
                WriteAt(stream, layout.TableOffset, table);
                if (stream.Position != layout.FileLength)
                    throw new InvalidOperationException($"Index layout mismatch: wrote {stream.Position} bytes, expected {layout.FileLength}.");
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return new DatanetIndexSummary(DatanetIndexRoot.ToHex(root), records.Count, sa.Length, fullPath);
    }

    /// <summary>Pads with zeros up to <paramref name="offset"/> (section alignment), then writes.</summary>
    private static void WriteAt(FileStream stream, long offset, ReadOnlySpan<byte> bytes)
    {
        Span<byte> zeros = stackalloc byte[8];
        zeros.Clear();
        long pad = offset - stream.Position;
        if (pad is < 0 or > 7) throw new InvalidOperationException($"Bad section offset {offset} at position {stream.Position}.");
        stream.Write(zeros[..(int)pad]);
        stream.Write(bytes);
    }

    /// <summary>The file is mapped and read in place as little-endian i32; every platform .NET 10 targets is little-endian.</summary>
    internal static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Datanet index files require a little-endian machine.");
    }
}
