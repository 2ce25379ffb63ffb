using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace OpenLoRA.Benchmarks;

/// <summary>Adds the latency tail to the summary: P50 and P95 (built in), P99 (<see cref="PercentileColumn"/>) and the maximum.</summary>
public sealed class LatencyPercentilesConfig : ManualConfig
{
    public LatencyPercentilesConfig()
    {
        AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.Max);
    }
}
