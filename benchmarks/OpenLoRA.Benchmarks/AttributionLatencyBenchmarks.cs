using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OpenLoRA.Attribution.Datanets;
using OpenLoRA.Attribution.Scoring;
using Perfolizer.Mathematics.OutlierDetection;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Latency of <see cref="SpanAttributor.Attribute"/> (default parameters) for one 256-token completion against the
/// memory-mapped index of the 10,000,000-token <see cref="SyntheticDatanet"/>, built once in the setup:
/// <list type="bullet">
/// <item>novel: fresh text from the corpus's token distribution, nothing copied (only chance n-grams match);</item>
/// <item>copied-spans: novel text with 2–4 spans of 8–40 tokens pasted from random records;</item>
/// <item>copied-256: a whole 256-token stretch of one record (every start matches to the end of the output).</item>
/// </list>
/// Each iteration is exactly one call on the next of 251 pre-generated outputs, and no iteration is dropped as an
/// outlier, so P50/P95/P99 are per-completion latencies (the target is P99 under 5 ms), not percentiles of batch means.
/// The warmup is one pass over all outputs, so the index pages they touch are mapped before measuring (steady state).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LatencyPercentilesConfig))]
[Outliers(OutlierMode.DontRemove)]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 251, iterationCount: 1000, invocationCount: 1)]
public class AttributionLatencyBenchmarks
{
    private const int Seed = 42;
    private const int OutputTokens = 256;
    private const int OutputCount = 251;
    private readonly SpanAttributor _attributor = new(new AttributionParameters());
    private string _directory = "";
    private DatanetIndex? _index;
    private int[][] _outputs = [];
    private int _next;

    [Params("novel", "copied-spans", "copied-256")]
    public string Output { get; set; } = "novel";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"openlora-bench-attribution-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        try
        {
            var records = SyntheticDatanet.Create(Seed);
            var path = Path.Combine(_directory, "datanet.idx");
            DatanetIndexWriter.Write(path, records);
            _index = DatanetIndex.Open(path);
            var random = new Random(Seed + 1);
            _outputs = Enumerable.Range(0, OutputCount).Select(_ => CreateOutput(random, records)).ToArray();
        }
        catch
        {
            // BenchmarkDotNet skips the cleanup when the setup throws.
            Cleanup();
            throw;
        }
    }

    [Benchmark]
    public AttributionResult Attribute()
    {
        var output = _outputs[_next];
        _next = (_next + 1) % _outputs.Length;
        return _attributor.Attribute(output, _index);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _index?.Dispose();
        _index = null;
        if (_directory.Length > 0 && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private int[] CreateOutput(Random random, List<TokenizedRecord> records)
    {
        var output = new int[OutputTokens];
        if (Output == "copied-256")
        {
            var source = records[random.Next(records.Count)].Tokens;
            source.AsSpan(random.Next(source.Length - OutputTokens + 1), OutputTokens).CopyTo(output);
            return output;
        }

        for (var i = 0; i < output.Length; i++)
        {
            output[i] = SyntheticDatanet.Tokens.Next(random);
        }

        if (Output == "copied-spans")
        {
            // One span per equal segment, so spans never overlap; each segment (≥ 64 tokens) holds the longest span.
            var spans = random.Next(2, 5);
            var segment = OutputTokens / spans;
            for (var s = 0; s < spans; s++)
            {
                var length = random.Next(8, 41);
                var source = records[random.Next(records.Count)].Tokens;
                var target = s * segment + random.Next(segment - length + 1);
                source.AsSpan(random.Next(source.Length - length + 1), length).CopyTo(output.AsSpan(target));
            }
        }
        else if (Output != "novel")
        {
            throw new InvalidOperationException($"unknown output '{Output}'");
        }

        return output;
    }
}
