using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Loading one rank-16 adapter of the 134M bench model (all seven projections, 5.6 MB, from the page cache) and
/// unloading it: LLamaSharp allocates and frees it; the ggml backend copies it into a free slot (padding the rank,
/// folding alpha/r into B) and frees the slot.
/// </summary>
[MemoryDiagnoser(false)]
public class AdapterLoadBenchmarks
{
    private BenchBackend? _bench;
    private IStepBackend? _backend;
    private string _adapter = "";

    [Params("llamasharp", "ggml")]
    public string Backend { get; set; } = "llamasharp";

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchBackend(Backend, 64, 1, 64, 2);
        _backend = _bench.Backend;
        _adapter = _bench.Adapters(1, rank: 16).Single();
    }

    [Benchmark]
    public void LoadAndUnload() => _backend!.UnloadAdapter(_backend.LoadAdapter(_adapter));

    [GlobalCleanup]
    public void Cleanup()
    {
        _bench?.Dispose();
    }
}
