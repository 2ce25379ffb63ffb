using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Cli.Verification;

/// <summary>Compares a trace's attribution with a re-run, field by field, and names the first difference.</summary>
internal static class AttributionComparer
{
    public static string? FirstDifference(AttributionTrace trace, AttributionResult rerun)
    {
        if (trace.Basis != rerun.Basis)
        {
            return $"basis: trace {trace.Basis}, re-run {rerun.Basis}";
        }

        for (var i = 0; i < Math.Max(trace.Spans.Count, rerun.Spans.Count); i++)
        {
            if (i >= trace.Spans.Count)
            {
                return $"span {i}: the re-run finds {Describe(rerun.Spans[i])}, the trace has none";
            }

            if (i >= rerun.Spans.Count)
            {
                return $"span {i}: the trace has {Describe(trace.Spans[i])}, the re-run none";
            }

            if (SpanDifference(trace.Spans[i], rerun.Spans[i]) is { } field)
            {
                return $"span {i} {field}: trace {Describe(trace.Spans[i])}, re-run {Describe(rerun.Spans[i])}";
            }
        }

        for (var i = 0; i < Math.Max(trace.Contributors.Count, rerun.Contributors.Count); i++)
        {
            var claimed = i < trace.Contributors.Count ? trace.Contributors[i] : null;
            var computed = i < rerun.Contributors.Count ? rerun.Contributors[i] : null;
            if (claimed is null || computed is null
                || !string.Equals(claimed.Address, computed.Address, StringComparison.OrdinalIgnoreCase)
                || claimed.Ppm != computed.Ppm)
            {
                return $"contributor {i}: trace {Describe(claimed)}, re-run {Describe(computed)}";
            }
        }

        return null;
    }

    private static string? SpanDifference(AttributedSpan a, AttributedSpan b) =>
        a.Start != b.Start ? "start"
        : a.Length != b.Length ? "length"
        : a.Occurrences != b.Occurrences ? "occurrences"
        : a.Weight != b.Weight ? "weight"
        : !a.RecordIds.SequenceEqual(b.RecordIds, StringComparer.Ordinal) ? "records"
        : null;

    private static string Describe(AttributedSpan span) =>
        $"[{span.Start}+{span.Length}, {span.Occurrences}×, weight {span.Weight}, records {string.Join(",", span.RecordIds)}]";

    private static string Describe(ContributorShare? share) =>
        share is null ? "none" : $"{share.Address.ToLowerInvariant()} {share.Ppm} ppm";
}
