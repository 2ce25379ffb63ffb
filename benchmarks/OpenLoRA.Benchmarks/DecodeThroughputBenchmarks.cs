using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf.TestModels;

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
    private LlamaModel? _model;
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
        var directory = Environment.GetEnvironmentVariable("OPENLORA_MODELS") ?? Path.Combine(Path.GetTempPath(), "openlora-bench-models");
        var paths = TestModelGenerator.EnsureBenchModels(directory);
        LlamaRuntime.EnsureInitialized();
        _items = new StepItem[Sequences];
        _next = Enumerable.Range(0, Sequences).Select(_ => new int[1]).ToArray();
        _model = LlamaModel.Load(paths.BaseModelPath, vocabularyOnly: Backend.StartsWith("ggml", StringComparison.Ordinal));
        if (Backend.StartsWith("ggml", StringComparison.Ordinal))
        {
            if (!GgmlLlamaConfig.TryRead(paths.BaseModelPath, out var config, out var reason))
            {
                throw new InvalidOperationException(reason);
            }

            _backend = new GgmlStepBackend(config, new GgmlStepBackendOptions(1024, Sequences, 512, 0, 8, 16, LoraKernel: Backend != "ggml-mul_mat_id"));
        }
        else
        {
            _backend = new LlamaStepBackend(_model, new LlamaStepBackendOptions(1024, Sequences, 512, 0));
        }

        var files = paths.AdapterPaths.Take(8).ToArray();
        _adapters = files.Select(_backend.LoadAdapter).ToArray();
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
        _backend?.Dispose();
        _model?.Dispose();
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
