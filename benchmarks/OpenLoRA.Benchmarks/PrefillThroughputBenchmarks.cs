using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Prefill throughput on the generated 134M bench model: one step carrying the prompts of 6 sequences (85 tokens
/// each, 510 in all) on 6 different adapters (or none), as when a burst of requests arrives. One operation is one prompt
/// token, so prompt tokens/s = 1 / mean.
/// </summary>
[MemoryDiagnoser(false)]
public class PrefillThroughputBenchmarks
{
    private const int Sequences = 6;
    private const int PromptTokens = 85;

    /// <summary>Tokens of each prompt in the step.</summary>
    [Params(21, PromptTokens)]
    public int Prompt { get; set; } = PromptTokens;
    private BenchBackend? _bench;
    private IStepBackend? _backend;
    private StepItem[] _items = [];

    /// <summary>"ggml" runs LoRA through the CPU kernel, "ggml-mul_mat_id" through ggml's mul_mat_id (the GPU path).</summary>
    [Params("llamasharp", "ggml", "ggml-mul_mat_id")]
    public string Backend { get; set; } = "llamasharp";

    /// <summary>"adapters": each sequence on its own adapter; "base-model": no adapter.</summary>
    [Params("adapters", "base-model")]
    public string Mix { get; set; } = "adapters";

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchBackend(Backend, 256, Sequences, 512, Sequences);
        _backend = _bench.Backend;
        var adapters = _bench.Adapters(Sequences).Select(_backend.LoadAdapter).ToArray();
        _items = Enumerable.Range(0, Sequences)
            .Select(s => new StepItem(s, Mix == "adapters" ? adapters[s] : null, Enumerable.Range(0, Prompt).Select(i => 100 + (37 * (i + s)) % 20000).ToArray(), 0, true))
            .ToArray();
    }

    [Benchmark(OperationsPerInvoke = Sequences * PromptTokens)]
    public void PrefillStep()
    {
        for (var s = 0; s < Sequences; s++)
        {
            _backend!.ClearSequence(s);
        }

        _backend!.Execute(_items, static (_, _) => { });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bench?.Dispose();
    }
}
