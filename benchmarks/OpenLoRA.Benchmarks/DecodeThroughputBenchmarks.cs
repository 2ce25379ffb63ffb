using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Decode throughput on the generated 134M bench model, 8 sequences per step, on the base model, all on one adapter, or on 8 different
/// adapters: the LLamaSharp backend runs one forward pass per adapter group (eight passes with eight adapters), the
/// ggml backend one pass whatever the adapters. One operation is one step, so tokens/s = Sequences / mean.
/// </summary>
[MemoryDiagnoser(false)]
public class DecodeThroughputBenchmarks
{
    private const int StepsPerInvoke = 16;
    private const int PromptTokens = 16;
    private BenchBackend? _bench;
    private IStepBackend? _backend;
    private IBackendAdapter[] _adapters = [];
    private StepItem[] _items = [];
    private int[][] _next = [];
    private int _position;

    [Params("base-model", "one-adapter", "eight-adapters")]
    public string Mix { get; set; } = "one-adapter";

    /// <summary>"ggml" runs LoRA through the CPU kernel, "ggml-mul_mat_id" through ggml's mul_mat_id (the GPU path).</summary>
    [Params("llamasharp", "ggml", "ggml-mul_mat_id")]
    public string Backend { get; set; } = "llamasharp";

    /// <summary>Sequences per step.</summary>
    [Params(8, 32)]
    public int Sequences { get; set; } = 8;

    [GlobalSetup]
    public void Setup()
    {
        _items = new StepItem[Sequences];
        _next = Enumerable.Range(0, Sequences).Select(_ => new int[1]).ToArray();
        _bench = new BenchBackend(Backend, 1024, Sequences, 512);
        _backend = _bench.Backend;
        _adapters = _bench.Adapters(8).Select(_backend.LoadAdapter).ToArray();
        Prefill();
    }

    [IterationSetup]
    public void ResetWhenFull()
    {
        if (_position + StepsPerInvoke >= 1000)
        {
            for (var s = 0; s < Sequences; s++)
            {
                _backend!.ClearSequence(s);
            }

            Prefill();
        }
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public void DecodeStep()
    {
        for (var step = 0; step < StepsPerInvoke; step++)
        {
            for (var s = 0; s < Sequences; s++)
            {
                _items[s] = new StepItem(s, AdapterFor(s), _next[s], _position, true);
            }

            _backend!.Execute(_items, OnLogits);
            _position++;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bench?.Dispose();
    }

    private IBackendAdapter? AdapterFor(int sequence) => Mix switch
    {
        "base-model" => null,
        "one-adapter" => _adapters[0],
        _ => _adapters[sequence % _adapters.Length],
    };

    private void Prefill()
    {
        var prompt = Enumerable.Range(0, PromptTokens).Select(i => 100 + i).ToArray();
        for (var s = 0; s < Sequences; s++)
        {
            _items[s] = new StepItem(s, AdapterFor(s), prompt, 0, true);
        }

        _backend!.Execute(_items, OnLogits);
        _position = PromptTokens;
    }

    private void OnLogits(int item, ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        _next[item][0] = best;
    }
}
