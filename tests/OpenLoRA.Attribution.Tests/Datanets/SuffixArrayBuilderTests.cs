using OpenLoRA.Attribution.Datanets;

namespace OpenLoRA.Attribution.Tests.Datanets;

public sealed class SuffixArrayBuilderTests
{
    /// <summary>The reference: sort suffix start positions by lexicographic comparison, a shorter prefix first.</summary>
    private static int[] Naive(int[] s)
    {
        int[] sa = Enumerable.Range(0, s.Length).ToArray();
        Array.Sort(sa, (a, b) =>
        {
            if (a == b) return 0;
            while (a < s.Length && b < s.Length)
            {
                if (s[a] != s[b]) return s[a].CompareTo(s[b]);
                a++;
                b++;
            }
            return a == s.Length ? -1 : 1;
        });
        return sa;
    }

    public static TheoryData<int, int> RandomCases()
    {
        var data = new TheoryData<int, int>();
        foreach (int alphabet in new[] { 1, 2, 3, 4, 26, 1000, int.MaxValue })
        {
            for (int seed = 0; seed < 6; seed++) data.Add(alphabet, seed);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Build_RandomInputs_MatchesNaive(int alphabet, int seed)
    {
        var random = new Random(seed * 7919 + alphabet);
        int[] sizes = [0, 1, 2, 3, 5, 9, 10, 17, 40, 41, 100, 257, 1000, random.Next(0, 5001)];
        int maxSize = alphabet <= 2 ? 1500 : 5000; // tiny alphabets make naive comparisons long; bound the reference's cost
        foreach (int size in sizes.Append(maxSize))
        {
            int[] s = TestData.RandomTokens(random, Math.Min(size, maxSize), alphabet);
            Assert.Equal(Naive(s), SuffixArrayBuilder.Build(s));
        }
    }

    [Fact]
    public void Build_Empty_ReturnsEmpty() => Assert.Empty(SuffixArrayBuilder.Build([]));

    [Fact]
    public void Build_OneToken_ReturnsZero() => Assert.Equal([0], SuffixArrayBuilder.Build([42]));

    [Fact]
    public void Build_AllEqual_ReturnsDescendingPositions()
    {
        foreach (int n in new[] { 2, 3, 10, 100, 1000 })
        {
            int[] s = Enumerable.Repeat(7, n).ToArray();
            Assert.Equal(Enumerable.Range(0, n).Reverse(), SuffixArrayBuilder.Build(s));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void Build_Periodic_MatchesNaive(int period)
    {
        var random = new Random(period);
        int[] unit = TestData.RandomTokens(random, period, 5);
        int[] s = Enumerable.Range(0, 1000).Select(i => unit[i % period]).ToArray();
        Assert.Equal(Naive(s), SuffixArrayBuilder.Build(s));
    }

    [Fact]
    public void Build_ExtremeIdsAndNegatives_Remapped()
    {
        int[] s = [int.MaxValue, -1, 0, int.MinValue, int.MaxValue, -1, 0, 5, int.MaxValue];
        Assert.Equal(Naive(s), SuffixArrayBuilder.Build(s));
    }

    [Fact]
    public void Build_Banana_KnownAnswer()
    {
        // "banana" with a=1, b=2, n=3: suffixes a, ana, anana, banana, na, nana.
        Assert.Equal([5, 3, 1, 0, 4, 2], SuffixArrayBuilder.Build([2, 1, 3, 1, 3, 1]));
    }

    [Fact]
    public void Build_Fibonacci_MatchesNaive()
    {
        // Fibonacci words are the classic worst case for the LMS recursion depth.
        var a = new List<int> { 0 };
        var b = new List<int> { 0, 1 };
        while (b.Count < 3000)
        {
            var next = new List<int>(b);
            next.AddRange(a);
            a = b;
            b = next;
        }
        int[] s = b.Take(3000).ToArray();
        Assert.Equal(Naive(s), SuffixArrayBuilder.Build(s));
    }
}
