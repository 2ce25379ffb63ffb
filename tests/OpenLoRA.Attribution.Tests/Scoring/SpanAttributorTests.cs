using OpenLoRA.Attribution.Datanets;
using OpenLoRA.Attribution.Scoring;
using static OpenLoRA.Attribution.Tests.TestData;

namespace OpenLoRA.Attribution.Tests.Scoring;

public sealed class SpanAttributorTests
{
    private static readonly SpanAttributor s_default = new(new AttributionParameters());

    private static int[] Seq(int from, int count) => Enumerable.Range(from, count).ToArray();

    [Fact]
    public void Attribute_CopyOfOneRecord_OneSpanFullCredit()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, [new("a", Alice, Seq(100, 20)), new("b", Bob, Seq(500, 20))]);
        int[] generated = [1, 2, .. Seq(105, 10), 3];
        AttributionResult result = s_default.Attribute(generated, index);
        Assert.Equal(AttributionBasis.Spans, result.Basis);
        Assert.Equal(SpanAttributor.MethodName, result.Method);
        AttributedSpan span = Assert.Single(result.Spans);
        Assert.Equal((2, 10, 1), (span.Start, span.Length, span.Occurrences));
        Assert.Equal(["a"], span.RecordIds);
        Assert.Equal([new ContributorShare(Alice, 1_000_000)], result.Contributors);
    }

    [Fact]
    public void Attribute_WeightRule_LengthTimesFixedPointRarity()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, [new("a", Alice, Seq(100, 20)), new("b", Bob, Seq(100, 8))]);
        AttributionResult result = s_default.Attribute(Seq(100, 8), index);
        AttributedSpan span = Assert.Single(result.Spans);
        Assert.Equal(2, span.Occurrences);
        ulong rarity = FixedPointLog2.Log2(28 + 2) - FixedPointLog2.Log2(2); // log2(1 + 28/2)
        Assert.Equal(8 * rarity, span.Weight);
        Assert.Equal(["a", "b"], span.RecordIds);
        Assert.Equal([new ContributorShare(Alice, 500_000), new ContributorShare(Bob, 500_000)], result.Contributors);
    }

    [Fact]
    public void Attribute_TwoSpansFromTwoContributors_SplitByLengthAndRarity()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, [new("a", Alice, Seq(100, 30)), new("b", Bob, Seq(500, 30))]);
        int[] generated = [.. Seq(100, 20), 7, .. Seq(500, 10)];
        AttributionResult result = s_default.Attribute(generated, index);
        Assert.Equal([(0, 20), (21, 10)], result.Spans.Select(s => (s.Start, s.Length)));
        // Both occur once, so the rarity is equal and the shares follow length: 20:10.
        Assert.Equal([new ContributorShare(Alice, 666_667), new ContributorShare(Bob, 333_333)], result.Contributors);
    }

    [Fact]
    public void Attribute_SpanShorterThanMinimum_FallsBackToStaticShares()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, [new("a", Alice, Seq(100, 30))]);
        StaticShare[] shares = [new(Carol, 3), new(Dave, 1)];
        AttributionResult result = s_default.Attribute(Seq(100, 5), index, shares);
        Assert.Equal(AttributionBasis.StaticShares, result.Basis);
        Assert.Empty(result.Spans);
        Assert.Equal([new ContributorShare(Carol, 750_000), new ContributorShare(Dave, 250_000)], result.Contributors);
    }

    [Fact]
    public void Attribute_NoIndex_UsesStaticShares()
    {
        AttributionResult result = s_default.Attribute(Seq(1, 50), null, [new StaticShare(Alice, 1)]);
        Assert.Equal(AttributionBasis.StaticShares, result.Basis);
        Assert.Equal([new ContributorShare(Alice, 1_000_000)], result.Contributors);
    }

    [Fact]
    public void Attribute_NothingMatchesNoStaticShares_Empty()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, [new("a", Alice, Seq(100, 30))]);
        foreach (StaticShare[]? shares in new StaticShare[]?[] { null, [], [new(Bob, 0)] })
        {
            AttributionResult result = s_default.Attribute(Seq(0, 50), index, shares);
            Assert.Equal(AttributionBasis.None, result.Basis);
            Assert.Empty(result.Spans);
            Assert.Empty(result.Contributors);
        }
        Assert.Empty(s_default.Attribute([], index).Contributors);
    }

    [Fact]
    public void Attribute_MaxOccurrences_CapsRecordsButNotCount()
    {
        using var dir = new TempDirectory();
        var records = Enumerable.Range(0, 10).Select(i => new TokenizedRecord($"r{i}", i % 2 == 0 ? Alice : Bob, [i + 1000, .. Seq(100, 8)])).ToList();
        using DatanetIndex index = BuildIndex(dir, records);
        var attributor = new SpanAttributor(new AttributionParameters { MaxOccurrencesPerSpan = 3 });
        AttributedSpan span = Assert.Single(attributor.Attribute(Seq(100, 8), index).Spans);
        Assert.Equal(10, span.Occurrences);
        Assert.Equal(3, span.RecordIds.Count);
        // Suffix-array order among equal suffixes follows the tokens after the span (separators), i.e. is fixed by content.
        int[] expectedPositions = index.FindOccurrences(Seq(100, 8), 3);
        Assert.Equal(expectedPositions.Select(p => index.GetRecord(index.GetRecordIndex(p)).Id).Order(StringComparer.Ordinal),
            span.RecordIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Attribute_RandomInputs_SpansAreExactlyTheMaximalMatches()
    {
        var random = new Random(17);
        for (int round = 0; round < 15; round++)
        {
            List<TokenizedRecord> records = RandomRecords(random, 20, 100, 3);
            using var dir = new TempDirectory();
            using DatanetIndex index = BuildIndex(dir, records);
            int[] generated = RandomTokens(random, 120, 3);
            var attributor = new SpanAttributor(new AttributionParameters { MinSpanTokens = 4, MaxSpanTokens = 12 });

            // Brute force: longest match at each start, then drop spans contained in another candidate.
            int Longest(int i)
            {
                int best = 0;
                foreach (TokenizedRecord r in records)
                {
                    for (int s = 0; s < r.Tokens.Length; s++)
                    {
                        int k = 0;
                        while (k < 12 && i + k < generated.Length && s + k < r.Tokens.Length && generated[i + k] == r.Tokens[s + k]) k++;
                        best = Math.Max(best, k);
                    }
                }
                return best;
            }
            var candidates = Enumerable.Range(0, generated.Length).Select(i => (Start: i, Length: Longest(i))).Where(c => c.Length >= 4).ToList();
            var expected = candidates.Where(c => !candidates.Any(o => o != c && o.Start <= c.Start && o.Start + o.Length >= c.Start + c.Length)).ToList();

            AttributionResult result = attributor.Attribute(generated, index);
            Assert.Equal(expected, result.Spans.Select(s => (s.Start, s.Length)));
            if (expected.Count > 0) Assert.Equal(PpmAllocator.Million, result.Contributors.Sum(c => c.Ppm));
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(result), System.Text.Json.JsonSerializer.Serialize(attributor.Attribute(generated, index)));
        }
    }

    [Fact]
    public void Attribute_RepeatedSpanInGeneration_CountedEachTime()
    {
        using var dir = new TempDirectory();
        using DatanetIndex index = BuildIndex(dir, [new("a", Alice, Seq(100, 6)), new("b", Bob, Seq(200, 6))]);
        AttributionResult result = s_default.Attribute([.. Seq(100, 6), .. Seq(100, 6), .. Seq(200, 6)], index);
        Assert.Equal([0, 6, 12], result.Spans.Select(s => s.Start));
        Assert.Equal([new ContributorShare(Alice, 666_667), new ContributorShare(Bob, 333_333)], result.Contributors);
    }

    [Theory]
    [InlineData(0, 10, 5)]
    [InlineData(6, 5, 5)]
    [InlineData(6, 100, 0)]
    [InlineData(6, 70_000, 5)]
    public void Constructor_InvalidParameters_Throws(int min, int max, int occurrences)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SpanAttributor(new AttributionParameters { MinSpanTokens = min, MaxSpanTokens = max, MaxOccurrencesPerSpan = occurrences }));
    }
}
