using BenchmarkDotNet.Configs;

namespace OpenLoRA.Benchmarks;

/// <summary>Adds tokens/s (corpus tokens over the mean build time) to <see cref="DatanetIndexBuildBenchmarks"/>.</summary>
public sealed class DatanetIndexBuildConfig : ManualConfig
{
    public DatanetIndexBuildConfig()
    {
        AddColumn(new PerSecondColumn("Tokens/s", SyntheticDatanet.TokenCount));
    }
}
