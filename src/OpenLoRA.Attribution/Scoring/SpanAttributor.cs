using OpenLoRA.Attribution.Datanets;

namespace OpenLoRA.Attribution.Scoring;

/// <summary>
/// Proof of Attribution by span matching ("span-match-v1", after Infini-gram and OLMoTrace).
/// <list type="number">
/// <item>For every start i of the generated tokens, L[i] = the longest match in the corpus (capped at MaxSpanTokens).</item>
/// <item>Maximal spans: L[i] ≥ MinSpanTokens and i + L[i] > (i-1) + L[i-1]. Because L[i] ≥ L[i-1] - 1, span ends never
///   decrease, so a span is inside an earlier one exactly when it ends where its predecessor ends; a later span
///   starts later and cannot contain it.</item>
/// <item>Weight = length × rarity, rarity = log2(1 + N/c) = log2(N + c) - log2(c) in Q16.16 integers, N = corpus
///   tokens and c = the span's occurrences: long spans count more, and a span seen once in a huge corpus is
///   stronger evidence than one seen everywhere. Integer-only, so the result is bit-identical on every machine.</item>
/// <item>A span's weight is split evenly over the distinct records among its first MaxOccurrencesPerSpan
///   occurrences (suffix-array order); the integer remainder goes one unit each to the lowest record indices.</item>
/// <item>Record weights sum per contributor and become ppm by largest remainder (<see cref="PpmAllocator"/>).</item>
/// </list>
/// When no span qualifies (or there is no index) the adapter's static shares are used, else the result is empty.
/// </summary>
public sealed class SpanAttributor
{
    public const string MethodName = "span-match-v1";

    private readonly AttributionParameters _parameters;

    public SpanAttributor(AttributionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _parameters = parameters;
    }

    public AttributionParameters Parameters => _parameters;

    public AttributionResult Attribute(ReadOnlySpan<int> generated, DatanetIndex? index, IReadOnlyList<StaticShare>? staticShares = null)
    {
        List<AttributedSpan> spans = [];
        var contributorWeights = new Dictionary<string, UInt128>(StringComparer.Ordinal);
        if (index is not null && index.TokenCount > 0 && generated.Length >= _parameters.MinSpanTokens)
        {
            FindSpans(generated, index, spans, contributorWeights);
        }

        if (spans.Count > 0)
        {
            return new AttributionResult(MethodName, _parameters, AttributionBasis.Spans, spans, PpmAllocator.Allocate(contributorWeights));
        }
        if (staticShares is { Count: > 0 })
        {
            IReadOnlyList<ContributorShare> shares = PpmAllocator.Allocate(staticShares);
            if (shares.Count > 0) return new AttributionResult(MethodName, _parameters, AttributionBasis.StaticShares, [], shares);
        }
        return new AttributionResult(MethodName, _parameters, AttributionBasis.None, [], []);
    }

    private void FindSpans(ReadOnlySpan<int> generated, DatanetIndex index, List<AttributedSpan> spans,
        Dictionary<string, UInt128> contributorWeights)
    {
        long previousEnd = -1;
        for (int i = 0; i < generated.Length; i++)
        {
            int length = index.LongestPrefixMatch(generated[i..], _parameters.MaxSpanTokens, out SuffixRange range);
            long end = (long)i + length;
            bool maximal = end > previousEnd;
            previousEnd = Math.Max(previousEnd, end);
            if (!maximal || length < _parameters.MinSpanTokens) continue;

            ulong rarity = FixedPointLog2.Log2((ulong)index.TokenCount + (ulong)range.Count) - FixedPointLog2.Log2((ulong)range.Count);
            ulong weight = (ulong)length * rarity;

            int[] positions = index.GetOccurrences(range, _parameters.MaxOccurrencesPerSpan);
            var records = new SortedSet<int>();
            foreach (int position in positions) records.Add(index.GetRecordIndex(position));

            var recordIds = new List<string>(records.Count);
            ulong share = weight / (ulong)records.Count;
            ulong remainder = weight % (ulong)records.Count;
            int rank = 0;
            foreach (int record in records)
            {
                DatanetRecordInfo info = index.GetRecord(record);
                recordIds.Add(info.Id);
                ulong recordWeight = share + ((ulong)rank < remainder ? 1UL : 0UL);
                contributorWeights[info.Contributor] = contributorWeights.GetValueOrDefault(info.Contributor) + recordWeight;
                rank++;
            }
            spans.Add(new AttributedSpan(i, length, range.Count, recordIds, weight));
        }
    }
}
