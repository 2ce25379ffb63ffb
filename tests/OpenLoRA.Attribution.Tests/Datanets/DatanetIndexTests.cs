using System.Buffers.Binary;
using OpenLoRA.Attribution.Datanets;
using static OpenLoRA.Attribution.Tests.TestData;

namespace OpenLoRA.Attribution.Tests.Datanets;

public sealed class DatanetIndexTests
{
    private static readonly List<TokenizedRecord> s_small =
    [
        new("a", Alice, [1, 2, 3, 4, 5]),
        new("b", Bob.ToLowerInvariant(), [3, 4, 5, 6]),
        new("c", Alice, [5, 1, 2]),
    ];

    /// <summary>Occurrences by brute force over each record separately (so none crosses a boundary), as corpus positions.</summary>
    private static List<int> NaiveOccurrences(IReadOnlyList<TokenizedRecord> records, int[] span)
    {
        var result = new List<int>();
        int offset = 0;
        foreach (TokenizedRecord record in records)
        {
            for (int i = 0; i + span.Length <= record.Tokens.Length; i++)
            {
                if (record.Tokens.AsSpan(i, span.Length).SequenceEqual(span)) result.Add(offset + i);
            }
            offset += record.Tokens.Length + 1;
        }
        return result;
    }

    [Fact]
    public void Open_WrittenIndex_RoundTripsRecordsAndRoot()
    {
        using var dir = new TempDirectory();
        DatanetIndexSummary summary = DatanetIndexWriter.Write(dir.File("x.olidx"), s_small);
        using DatanetIndex index = DatanetIndex.Open(dir.File("x.olidx"));
        Assert.Equal(summary.Root, index.Root);
        Assert.Equal(DatanetIndexRoot.Compute(s_small), index.Root);
        Assert.Matches("^0x[0-9a-f]{64}$", index.Root);
        Assert.Equal(3, index.RecordCount);
        Assert.Equal(12, index.TokenCount);
        Assert.Equal(new DatanetRecordInfo(1, "b", Bob, 6, 4), index.GetRecord(1));
        Assert.Equal([5, 1, 2], index.GetRecordTokens(2).ToArray());
        Assert.Contains(index.Root, index.ToString());
    }

    [Fact]
    public void Root_SameContentDifferentFiles_Equal()
    {
        using var dir = new TempDirectory();
        var copy = s_small.Select(r => r with { Contributor = r.Contributor.ToUpperInvariant().Replace("0X", "0x"), Tokens = [.. r.Tokens] }).ToList();
        Assert.Equal(DatanetIndexWriter.Write(dir.File("1"), s_small).Root, DatanetIndexWriter.Write(dir.File("2"), copy).Root);
    }

    [Fact]
    public void Root_KnownAnswer_Stable()
    {
        // Pins the canonical encoding: changing it changes every published root.
        Assert.Equal(DatanetIndexRoot.Compute([new TokenizedRecord("a", Alice, [1])]),
            "0x" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                [.. "OpenLoRA/datanet-index/v1"u8, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, (byte)'a',
                 .. Convert.FromHexString(Alice[2..]), 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])));
    }

    [Theory]
    [InlineData("contributor")]
    [InlineData("id")]
    [InlineData("token")]
    [InlineData("order")]
    [InlineData("boundary")]
    public void Root_AnyContentChange_Differs(string change)
    {
        List<TokenizedRecord> changed = change switch
        {
            "contributor" => [s_small[0] with { Contributor = Carol }, s_small[1], s_small[2]],
            "id" => [s_small[0] with { Id = "z" }, s_small[1], s_small[2]],
            "token" => [s_small[0] with { Tokens = [1, 2, 3, 4, 6] }, s_small[1], s_small[2]],
            "order" => [s_small[1], s_small[0], s_small[2]],
            _ => [s_small[0] with { Tokens = [1, 2, 3, 4, 5, 3] }, s_small[1] with { Tokens = [4, 5, 6] }, s_small[2]],
        };
        Assert.NotEqual(DatanetIndexRoot.Compute(s_small), DatanetIndexRoot.Compute(changed));
    }

    [Fact]
    public void Count_SmallCorpus_KnownCounts()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, s_small);
        Assert.Equal(3, index.Count([5]));
        Assert.Equal(2, index.Count([3, 4, 5]));
        Assert.Equal(2, index.Count([1, 2]));
        Assert.Equal(1, index.Count([1, 2, 3, 4, 5]));
        Assert.Equal(0, index.Count([1, 2, 3, 4, 5, 6]));
        Assert.Equal(0, index.Count([99]));
    }

    [Fact]
    public void Find_SpanAcrossRecordBoundary_NotFound()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, s_small);
        Assert.Equal(0, index.Count([4, 5, 3]));
        Assert.Equal(0, index.Count([5, 3, 4]));
        Assert.Equal(0, index.Count([6, 5]));
    }

    [Fact]
    public void Find_NegativeToken_NotFound()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, s_small);
        Assert.Equal(0, index.Count([-1]));
        Assert.Equal(0, index.Count([5, -1]));
    }

    [Fact]
    public void Find_EmptySpan_MatchesEveryToken()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, s_small);
        Assert.Equal(index.TokenCount, index.Count([]));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 50)]
    public void FindOccurrences_RandomCorpus_MatchesNaive(int seed, int alphabet)
    {
        var random = new Random(seed);
        List<TokenizedRecord> records = RandomRecords(random, 40, 60, alphabet);
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, records);
        for (int q = 0; q < 300; q++)
        {
            int[] span;
            if (q % 2 == 0)
            {
                TokenizedRecord source = records[random.Next(records.Count)];
                int start = random.Next(source.Tokens.Length);
                span = source.Tokens.AsSpan(start, 1 + random.Next(Math.Min(8, source.Tokens.Length - start))).ToArray();
            }
            else
            {
                span = RandomTokens(random, 1 + random.Next(6), alphabet + 1);
            }
            List<int> expected = NaiveOccurrences(records, span);
            Assert.Equal(expected.Count, index.Count(span));
            int[] all = index.FindOccurrences(span, int.MaxValue);
            Assert.Equal(expected, all.Order());
            Assert.Equal(all.Take(3), index.FindOccurrences(span, 3));
        }
    }

    [Fact]
    public void LongestPrefixMatch_RandomQueries_MatchesNaive()
    {
        var random = new Random(11);
        List<TokenizedRecord> records = RandomRecords(random, 30, 80, 3);
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, records);
        for (int q = 0; q < 200; q++)
        {
            int[] query = RandomTokens(random, 1 + random.Next(20), 3);
            int expected = 0;
            while (expected < query.Length && NaiveOccurrences(records, query[..(expected + 1)]).Count > 0) expected++;
            int length = index.LongestPrefixMatch(query, int.MaxValue, out SuffixRange range);
            Assert.Equal(expected, length);
            Assert.Equal(expected == 0 ? 0 : NaiveOccurrences(records, query[..expected]).Count, range.Count);
            Assert.Equal(Math.Min(expected, 2), index.LongestPrefixMatch(query, 2, out _));
        }
    }

    [Fact]
    public void GetRecordIndex_EveryPosition_MapsToItsRecord()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, s_small);
        int[] expected = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2];
        for (int p = 0; p < expected.Length; p++) Assert.Equal(expected[p], index.GetRecordIndex(p));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.GetRecordIndex(expected.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.GetRecordIndex(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.GetRecord(3));
    }

    [Fact]
    public void GetOccurrences_RangeOutsideSuffixArray_Throws()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, s_small);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.GetOccurrences(new SuffixRange(10, 5), 10));
    }

    [Fact]
    public void Write_ZeroRecords_OpensEmpty()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, []);
        Assert.Equal(0, index.RecordCount);
        Assert.Equal(0, index.Count([1]));
        Assert.Equal(0, index.LongestPrefixMatch([1, 2], 10, out _));
    }

    public static TheoryData<string> InvalidRecordCases() => ["empty-tokens", "negative", "duplicate", "address", "empty-id"];

    [Theory]
    [MemberData(nameof(InvalidRecordCases))]
    public void Write_InvalidRecords_ThrowsAndLeavesNoFile(string kind)
    {
        List<TokenizedRecord> records = kind switch
        {
            "empty-tokens" => [new("a", Alice, [])],
            "negative" => [new("a", Alice, [1, -1, 2])],
            "duplicate" => [new("a", Alice, [1]), new("a", Bob, [2])],
            "address" => [new("a", "0x1234", [1])],
            _ => [new("", Alice, [1])],
        };
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() => DatanetIndexWriter.Write(dir.File("x"), records));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_ExistingFile_ReplacedAndNoTempLeft()
    {
        using var dir = new TempDirectory();
        DatanetIndexWriter.Write(dir.File("x"), s_small);
        DatanetIndexSummary second = DatanetIndexWriter.Write(dir.File("x"), [new TokenizedRecord("only", Carol, [9, 9])]);
        Assert.Equal([dir.File("x")], Directory.GetFiles(dir.Path));
        using DatanetIndex index = DatanetIndex.Open(dir.File("x"));
        Assert.Equal(second.Root, index.Root);
        Assert.Equal(1, index.RecordCount);
    }

    [Fact]
    public void Dispose_ThenQuery_Throws()
    {
        using var dir = new TempDirectory();
        DatanetIndex index = BuildIndex(dir, s_small);
        index.Dispose();
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Count([1]));
        Assert.Throws<ObjectDisposedException>(() => index.GetRecord(0));
    }

    private static byte[] WriteBytes(TempDirectory dir)
    {
        DatanetIndexWriter.Write(dir.File("good"), s_small);
        return File.ReadAllBytes(dir.File("good"));
    }

    private static DatanetIndexFormatException OpenCorrupt(TempDirectory dir, byte[] bytes)
    {
        File.WriteAllBytes(dir.File("bad"), bytes);
        return Assert.Throws<DatanetIndexFormatException>(() => DatanetIndex.Open(dir.File("bad")));
    }

    [Fact]
    public void Open_EmptyFile_Throws()
    {
        using var dir = new TempDirectory();
        Assert.Contains("shorter than", OpenCorrupt(dir, []).Message);
    }

    [Fact]
    public void Open_TruncatedFile_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        Assert.Contains("header describes", OpenCorrupt(dir, bytes[..^3]).Message);
        Assert.Contains("shorter than", OpenCorrupt(dir, bytes[..50]).Message);
    }

    [Fact]
    public void Open_TrailingBytes_Throws()
    {
        using var dir = new TempDirectory();
        Assert.Contains("header describes", OpenCorrupt(dir, [.. WriteBytes(dir), 0]).Message);
    }

    [Fact]
    public void Open_BadMagic_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        bytes[0] ^= 1;
        Assert.Contains("magic", OpenCorrupt(dir, bytes).Message);
    }

    [Fact]
    public void Open_UnknownVersion_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2);
        Assert.Contains("unsupported version 2", OpenCorrupt(dir, bytes).Message);
    }

    [Theory]
    [InlineData(16, long.MaxValue)]
    [InlineData(16, -1)]
    [InlineData(24, 5)]
    [InlineData(32, 1000)]
    [InlineData(40, long.MaxValue)]
    [InlineData(40, 3)]
    public void Open_HeaderCountsLie_ThrowsBeforeMapping(int offset, long value)
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset), value);
        OpenCorrupt(dir, bytes);
    }

    [Fact]
    public void Open_TokenChanged_ThrowsRootMismatch()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        bytes[DatanetIndexFormat.HeaderSize] = 9; // first token 1 -> 9
        Assert.Contains("does not match the header root", OpenCorrupt(dir, bytes).Message);
    }

    [Fact]
    public void Open_SeparatorOverwritten_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(DatanetIndexFormat.HeaderSize + 5 * 4), 7);
        Assert.Contains("separator", OpenCorrupt(dir, bytes).Message);
    }

    [Fact]
    public void Open_SuffixArrayChanged_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        var layout = DatanetIndexFormat.ComputeLayout(15, 12, 3, 3 * 23 + 0);
        (bytes[layout.SuffixOffset], bytes[layout.SuffixOffset + 4]) = (bytes[layout.SuffixOffset + 4], bytes[layout.SuffixOffset]);
        Assert.Contains("suffix array", OpenCorrupt(dir, bytes).Message);
    }

    [Fact]
    public void Open_RecordIdChanged_ThrowsRootMismatch()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        int at = Array.LastIndexOf(bytes, (byte)'c');
        bytes[at] = (byte)'d';
        Assert.Contains("root", OpenCorrupt(dir, bytes).Message);
    }

    [Fact]
    public void Open_ContributorChanged_ThrowsRootMismatch()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        bytes[^1] ^= 0x55;
        Assert.Contains("root", OpenCorrupt(dir, bytes).Message);
    }

    [Fact]
    public void Open_RecordStartChanged_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = WriteBytes(dir);
        var layout = DatanetIndexFormat.ComputeLayout(15, 12, 3, 3 * 23);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((int)layout.StartsOffset + 4), 5);
        OpenCorrupt(dir, bytes);
    }

    [Fact]
    public void Open_MissingFile_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => DatanetIndex.Open(dir.File("nope")));
    }

    [Fact]
    public void Index_200kTokens_BuildsAndAnswersQueries()
    {
        var random = new Random(2024);
        List<TokenizedRecord> records = RandomRecords(random, 400, 1000, 32_000);
        long total = records.Sum(r => (long)r.Tokens.Length);
        Assert.InRange(total, 150_000, 250_000);
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, records);
        Assert.Equal(total, index.TokenCount);
        for (int q = 0; q < 200; q++)
        {
            TokenizedRecord source = records[random.Next(records.Count)];
            int start = random.Next(source.Tokens.Length);
            int[] span = source.Tokens.AsSpan(start, Math.Min(4, source.Tokens.Length - start)).ToArray();
            List<int> expected = NaiveOccurrences(records, span);
            Assert.Equal(expected, index.FindOccurrences(span, int.MaxValue).Order());
        }
    }
}
