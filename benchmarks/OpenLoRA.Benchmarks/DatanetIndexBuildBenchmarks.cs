using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OpenLoRA.Attribution.Datanets;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Building the suffix-array index of a 10,000,000-token Datanet (20,000 records of 500 tokens, see
/// <see cref="SyntheticDatanet"/>) with <see cref="DatanetIndexWriter.Write"/>: validation, content root, SA-IS,
/// suffix digest and the atomic, fsynced write. One operation is one build, so tokens/s = 10^7 / mean (the
/// Tokens/s column). A build takes seconds, so the job is a few single-invocation iterations. The cleanup prints
/// the index file's size in bytes per token.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DatanetIndexBuildConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class DatanetIndexBuildBenchmarks
{
    private const int Seed = 42;
    private List<TokenizedRecord> _records = [];
    private string _directory = "";
    private string _indexPath = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"openlora-bench-datanet-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _indexPath = Path.Combine(_directory, "datanet.idx");
        _records = SyntheticDatanet.Create(Seed);
    }

    [Benchmark]
    public DatanetIndexSummary Build() => DatanetIndexWriter.Write(_indexPath, _records);

    [GlobalCleanup]
    public void Cleanup()
    {
        if (File.Exists(_indexPath))
        {
            var bytes = new FileInfo(_indexPath).Length;
            Console.WriteLine($"// Datanet index: {bytes:N0} bytes for {SyntheticDatanet.TokenCount:N0} tokens = {(double)bytes / SyntheticDatanet.TokenCount:F3} bytes/token");
        }

        if (_directory.Length > 0 && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
