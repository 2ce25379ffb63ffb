using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// What padding adapters to the ggml backend's slot rank costs: 8 sequences on the bench model's rank-8 and rank-16
/// adapters (4 each), decode steps, with LoraSlotRank 16 or 64, through the CPU LoRA kernel or mul_mat_id. One
/// operation is one step of 8 tokens.
/// </summary>
[MemoryDiagnoser(false)]
public class SlotRankBenchmarks
{
    private const int Sequences = 8;
    private const int StepsPerInvoke = 16;
    private BenchBackend? _bench;
    private IStepBackend? _backend;
    private StepItem[] _items = [];
    private int _position;

    [Params(16, 64)]
    public int SlotRank { get; set; } = 16;

    [Params("kernel", "mul_mat_id")]
    public string Lora { get; set; } = "kernel";

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchBackend(Lora == "kernel" ? "ggml" : "ggml-mul_mat_id", 1024, Sequences, 512, Sequences, SlotRank);
        _backend = _bench.Backend;
        var adapters = _bench.Adapters(4, rank: 8).Concat(_bench.Adapters(4, rank: 16)).Select(_backend.LoadAdapter).ToArray();
        _items = Enumerable.Range(0, Sequences).Select(s => new StepItem(s, adapters[s], Enumerable.Range(0, 16).Select(i => 100 + i).ToArray(), 0, true)).ToArray();
        _backend.Execute(_items, static (_, _) => { });
        _position = 16;
    }

    [IterationSetup]
    public void ResetWhenFull()
    {
        if (_position + StepsPerInvoke < 1000)
        {
            return;
        }

        for (var s = 0; s < Sequences; s++)
        {
            _backend!.ClearSequence(s);
        }

        _backend!.Execute(_items, static (_, _) => { });
        _position = 16;
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public void DecodeStep()
    {
        var step = new StepItem[Sequences];
        for (var i = 0; i < StepsPerInvoke; i++)
        {
            for (var s = 0; s < Sequences; s++)
            {
                step[s] = new StepItem(s, _items[s].Adapter, new[] { 200 + s }, _position, true);
            }

            _backend!.Execute(step, static (_, _) => { });
            _position++;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bench?.Dispose();
    }
}
