namespace OpenLoRA.LoadTest;

/// <summary>p50/p90/p99 of one latency, in seconds.</summary>
internal sealed record LatencySummary(double P50, double P90, double P99)
{
    public static LatencySummary Of(IReadOnlyList<double> values) =>
        new(Statistics.Percentile(values, 50), Statistics.Percentile(values, 90), Statistics.Percentile(values, 99));
}
