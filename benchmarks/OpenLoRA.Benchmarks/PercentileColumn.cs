using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Any percentile of the measured iterations, for the ones BenchmarkDotNet has no built-in column for (P99).
/// Shown in the summary's time unit, like the built-in P50/P95 columns.
/// </summary>
public sealed class PercentileColumn(int percentile) : IColumn
{
    public string Id => $"{nameof(PercentileColumn)}.P{percentile}";

    public string ColumnName => $"P{percentile}";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 10 + percentile;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => $"Percentile {percentile} of all iterations";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null)
        {
            return "NA";
        }

        var nanoseconds = statistics.Percentiles.Percentile(percentile);
        var unit = style.TimeUnit ?? Perfolizer.Horology.TimeUnit.GetBestTimeUnit(nanoseconds);
        var value = nanoseconds / unit.BaseUnits;
        return style.PrintUnitsInContent
            ? $"{value.ToString("N3", CultureInfo.InvariantCulture)} {unit.Abbreviation}"
            : value.ToString("N3", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
