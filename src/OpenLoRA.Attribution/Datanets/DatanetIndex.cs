using System.Buffers.Binary;
using System.Collections;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;

namespace OpenLoRA.Attribution.Datanets;

/// <summary>
/// A read-only, memory-mapped Datanet index. Tokens and the suffix array stay in the mapping (the OS pages them
/// in on demand); only the record table (ids, contributors) is decoded into managed memory.
/// Opening validates every size before touching the mapping, then the content against the header: record
/// boundaries, the suffix array (digest, range, permutation) and the root. Queries are thread-safe; the owner
/// must not dispose the index while queries on it are running.
/// </summary>
public sealed unsafe class DatanetIndex : IDisposable
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly int* _tokens;
    private readonly int* _suffixes;
    private readonly int* _starts;
    private readonly int _corpusLength;
    private readonly int _suffixCount;
    private readonly string[] _ids;
    private readonly string[] _contributors;
    private bool _disposed;

    private DatanetIndex(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte* basePointer,
        DatanetIndexFormat.Layout layout, int corpusLength, int suffixCount, int recordCount)
    {
        Path = path;
        _file = file;
        _view = view;
        _tokens = (int*)(basePointer + layout.TokensOffset);
        _suffixes = (int*)(basePointer + layout.SuffixOffset);
        _starts = (int*)(basePointer + layout.StartsOffset);
        _corpusLength = corpusLength;
        _suffixCount = suffixCount;
        _ids = new string[recordCount];
        _contributors = new string[recordCount];
        Root = "";
    }

    public string Path { get; }

    /// <summary>0x + 64 lowercase hex; see <see cref="DatanetIndexRoot"/>.</summary>
    public string Root { get; private set; }

    public int RecordCount => _ids.Length;

    /// <summary>Number of tokens over all records (separators not counted); the N of the rarity weight.</summary>
    public int TokenCount => _suffixCount;

    public static DatanetIndex Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        DatanetIndexWriter.EnsureLittleEndian();
        string fullPath = System.IO.Path.GetFullPath(path);
        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        MemoryMappedFile? file = null;
        MemoryMappedViewAccessor? view = null;
        bool pointerAcquired = false;
        try
        {
            long fileLength = stream.Length;
            if (fileLength < DatanetIndexFormat.HeaderSize)
                throw new DatanetIndexFormatException(fullPath, $"file is {fileLength} bytes, shorter than the {DatanetIndexFormat.HeaderSize}-byte header");
            byte[] header = new byte[DatanetIndexFormat.HeaderSize];
            stream.ReadExactly(header);
            (DatanetIndexFormat.Layout layout, long corpusLength, long suffixCount, long recordCount, long tableLength) =
                ValidateHeader(fullPath, header, fileLength);

            file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            if (view.Capacity < layout.FileLength)
                throw new DatanetIndexFormatException(fullPath, $"mapped {view.Capacity} bytes, expected {layout.FileLength}");
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointerAcquired = true;
            pointer += view.PointerOffset;

            var index = new DatanetIndex(fullPath, file, view, pointer, layout, (int)corpusLength, (int)suffixCount, (int)recordCount);
            index.ValidateContent(header, new ReadOnlySpan<byte>(pointer + layout.TableOffset, checked((int)tableLength)));
            return index;
        }
        catch
        {
            if (pointerAcquired) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            file?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    private static (DatanetIndexFormat.Layout, long, long, long, long) ValidateHeader(string path, ReadOnlySpan<byte> header, long fileLength)
    {
        if (!header[..8].SequenceEqual(DatanetIndexFormat.Magic))
            throw new DatanetIndexFormatException(path, "bad magic; not a Datanet index");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != DatanetIndexFormat.Version)
            throw new DatanetIndexFormatException(path, $"unsupported version {version} (this build reads {DatanetIndexFormat.Version})");
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (headerSize != DatanetIndexFormat.HeaderSize)
            throw new DatanetIndexFormatException(path, $"header size {headerSize}, expected {DatanetIndexFormat.HeaderSize}");
        long corpusLength = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        long suffixCount = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        long recordCount = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        long tableLength = BinaryPrimitives.ReadInt64LittleEndian(header[40..]);
        if (corpusLength < 0 || corpusLength > DatanetIndexFormat.MaxCorpusLength)
            throw new DatanetIndexFormatException(path, $"corpus length {corpusLength} out of range");
        if (recordCount < 0 || recordCount > corpusLength / 2)
            throw new DatanetIndexFormatException(path, $"record count {recordCount} inconsistent with corpus length {corpusLength}");
        if (suffixCount != corpusLength - recordCount)
            throw new DatanetIndexFormatException(path, $"suffix count {suffixCount}, expected {corpusLength - recordCount}");
        if (tableLength < recordCount * (2 + 1 + DatanetIndexFormat.AddressBytes) || tableLength > fileLength)
            throw new DatanetIndexFormatException(path, $"record table length {tableLength} out of range");
        DatanetIndexFormat.Layout layout = DatanetIndexFormat.ComputeLayout(corpusLength, suffixCount, recordCount, tableLength);
        if (layout.FileLength != fileLength)
            throw new DatanetIndexFormatException(path, $"file is {fileLength} bytes, header describes {layout.FileLength}");
        return (layout, corpusLength, suffixCount, recordCount, tableLength);
    }

    private void ValidateContent(ReadOnlySpan<byte> header, ReadOnlySpan<byte> table)
    {
        int recordCount = _ids.Length;
        if (recordCount == 0 && _corpusLength != 0) throw Corrupt("tokens present but no records");

        // Record boundaries: contiguous, each at least one token plus its separator, separators only at ends.
        for (int r = 0; r < recordCount; r++)
        {
            int start = _starts[r];
            int end = r + 1 < recordCount ? _starts[r + 1] : _corpusLength;
            if ((r == 0 && start != 0) || start < 0 || end > _corpusLength || end - start < 2)
                throw Corrupt($"record {r} has invalid bounds [{start}, {end})");
            for (int p = start; p < end - 1; p++)
            {
                if (_tokens[p] < 0) throw Corrupt($"negative token at position {p} in record {r}");
            }
            if (_tokens[end - 1] != DatanetIndexFormat.Separator) throw Corrupt($"record {r} is not followed by a separator");
        }

        var contributorBytes = new byte[recordCount][];
        var idBytes = new byte[recordCount][];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int offset = 0;
        for (int r = 0; r < recordCount; r++)
        {
            if (table.Length - offset < 2) throw Corrupt($"record table truncated at record {r}");
            int idLength = BinaryPrimitives.ReadUInt16LittleEndian(table[offset..]);
            offset += 2;
            if (idLength == 0 || table.Length - offset < idLength + DatanetIndexFormat.AddressBytes)
                throw Corrupt($"record table entry {r} is truncated or has an empty id");
            idBytes[r] = table.Slice(offset, idLength).ToArray();
            try
            {
                _ids[r] = s_strictUtf8.GetString(idBytes[r]);
            }
            catch (DecoderFallbackException)
            {
                throw Corrupt($"record {r} id is not valid UTF-8");
            }
            if (!seen.Add(_ids[r])) throw Corrupt($"duplicate record id '{_ids[r]}'");
            offset += idLength;
            contributorBytes[r] = table.Slice(offset, DatanetIndexFormat.AddressBytes).ToArray();
            _contributors[r] = EthereumAddress.FromBytes(contributorBytes[r]);
            offset += DatanetIndexFormat.AddressBytes;
        }
        if (offset != table.Length) throw Corrupt($"record table has {table.Length - offset} trailing bytes");

        // Suffix array: digest first (cheap, catches any flipped bit), then that it is a permutation of the
        // non-separator positions, so no query can read outside the corpus. Order is attested by the digest.
        var suffixes = new ReadOnlySpan<int>(_suffixes, _suffixCount);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(suffixes), digest);
        if (!digest.SequenceEqual(header.Slice(80, 32))) throw Corrupt("suffix array does not match its digest");
        var used = new BitArray(_corpusLength);
        foreach (int p in suffixes)
        {
            if ((uint)p >= (uint)_corpusLength || _tokens[p] == DatanetIndexFormat.Separator || used[p])
                throw Corrupt($"suffix array entry {p} is out of range, a separator, or repeated");
            used[p] = true;
        }

        using var hasher = new DatanetIndexRoot.Hasher(recordCount);
        for (int r = 0; r < recordCount; r++)
        {
            DatanetRecordInfo info = GetRecord(r);
            hasher.AddRecord(idBytes[r], contributorBytes[r], new ReadOnlySpan<int>(_tokens + info.Start, info.Length));
        }
        byte[] root = hasher.Finish();
        if (!root.AsSpan().SequenceEqual(header.Slice(48, 32)))
            throw Corrupt($"content root {DatanetIndexRoot.ToHex(root)} does not match the header root {DatanetIndexRoot.ToHex(header.Slice(48, 32))}");
        Root = DatanetIndexRoot.ToHex(root);
    }

    private DatanetIndexFormatException Corrupt(string message) => new(Path, message);

    /// <summary>The suffix-array range of suffixes starting with <paramref name="span"/>; an empty span matches every position.</summary>
    public SuffixRange Find(ReadOnlySpan<int> span)
    {
        ThrowIfDisposed();
        int lo = 0, hi = _suffixCount;
        for (int k = 0; k < span.Length; k++)
        {
            if (span[k] < 0) return default;
            Narrow(ref lo, ref hi, k, span[k]);
            if (lo == hi) return default;
        }
        return new SuffixRange(lo, hi - lo);
    }

    public int Count(ReadOnlySpan<int> span) => Find(span).Count;

    /// <summary>
    /// Length of the longest prefix of <paramref name="query"/> (at most <paramref name="maxLength"/>) that occurs
    /// in the corpus, and its range. Matches never cross a record boundary: separators match no query token.
    /// </summary>
    public int LongestPrefixMatch(ReadOnlySpan<int> query, int maxLength, out SuffixRange range)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        int lo = 0, hi = _suffixCount;
        int limit = Math.Min(query.Length, maxLength);
        int length = 0;
        while (length < limit && query[length] >= 0)
        {
            int newLo = lo, newHi = hi;
            Narrow(ref newLo, ref newHi, length, query[length]);
            if (newLo == newHi) break;
            lo = newLo;
            hi = newHi;
            length++;
        }
        range = length == 0 ? default : new SuffixRange(lo, hi - lo);
        return length;
    }

    /// <summary>
    /// Corpus positions of the first <paramref name="max"/> occurrences in suffix-array order: a pure function of
    /// the tokens, so every machine enumerates the same ones.
    /// </summary>
    public int[] GetOccurrences(SuffixRange range, int max)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (range.Start < 0 || range.Count < 0 || (long)range.Start + range.Count > _suffixCount)
            throw new ArgumentOutOfRangeException(nameof(range), range, "Range is outside the suffix array.");
        int count = Math.Min(range.Count, max);
        return new ReadOnlySpan<int>(_suffixes + range.Start, count).ToArray();
    }

    public int[] FindOccurrences(ReadOnlySpan<int> span, int max) => GetOccurrences(Find(span), max);

    /// <summary>The record whose tokens contain corpus position <paramref name="position"/>.</summary>
    public int GetRecordIndex(int position)
    {
        ThrowIfDisposed();
        if ((uint)position >= (uint)_corpusLength)
            throw new ArgumentOutOfRangeException(nameof(position), position, "Position is outside the corpus.");
        int lo = 0, hi = _ids.Length - 1;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo + 1) >> 1);
            if (_starts[mid] <= position) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    public DatanetRecordInfo GetRecord(int index)
    {
        ThrowIfDisposed();
        if ((uint)index >= (uint)_ids.Length) throw new ArgumentOutOfRangeException(nameof(index), index, "No such record.");
        int start = _starts[index];
        int end = index + 1 < _ids.Length ? _starts[index + 1] : _corpusLength;
        return new DatanetRecordInfo(index, _ids[index], _contributors[index], start, end - start - 1);
    }

    /// <summary>The record's tokens, read straight from the mapping; valid until the index is disposed.</summary>
    public ReadOnlySpan<int> GetRecordTokens(int index)
    {
        ThrowIfDisposed();
        DatanetRecordInfo info = GetRecord(index);
        return new ReadOnlySpan<int>(_tokens + info.Start, info.Length);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    public override string ToString() => $"DatanetIndex({Root}, {RecordCount} records, {TokenCount} tokens)";

    /// <summary>
    /// Restricts [lo, hi) to the suffixes whose token at offset k equals <paramref name="token"/>. All suffixes in
    /// the range share their first k tokens, so the token at offset k is sorted across it.
    /// </summary>
    private void Narrow(ref int lo, ref int hi, int k, int token)
    {
        int a = lo, b = hi;
        while (a < b)
        {
            int mid = a + ((b - a) >> 1);
            if (TokenAt(_suffixes[mid], k) < token) a = mid + 1;
            else b = mid;
        }
        int first = a;
        b = hi;
        while (a < b)
        {
            int mid = a + ((b - a) >> 1);
            if (TokenAt(_suffixes[mid], k) <= token) a = mid + 1;
            else b = mid;
        }
        lo = first;
        hi = a;
    }

    /// <summary>Past the end reads as smaller than any token (a shorter suffix sorts first); unreachable in a valid file.</summary>
    private int TokenAt(int position, int k)
    {
        long p = (long)position + k;
        return p < _corpusLength ? _tokens[p] : int.MinValue;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
