using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf.TestModels;

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
    private LlamaModel? _model;
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
        var directory = Environment.GetEnvironmentVariable("OPENLORA_MODELS") ?? Path.Combine(Path.GetTempPath(), "openlora-bench-models");
        var paths = TestModelGenerator.EnsureBenchModels(directory);
        LlamaRuntime.EnsureInitialized();
        _model = LlamaModel.Load(paths.BaseModelPath, vocabularyOnly: Backend.StartsWith("ggml", StringComparison.Ordinal));
        _backend = Backend.StartsWith("ggml", StringComparison.Ordinal)
            ? new GgmlStepBackend(
                GgmlLlamaConfig.TryRead(paths.BaseModelPath, out var config, out var reason) ? config : throw new InvalidOperationException(reason),
                new GgmlStepBackendOptions(256, Sequences, 512, 0, Sequences, 16, LoraKernel: Backend != "ggml-mul_mat_id"))
            : new LlamaStepBackend(_model, new LlamaStepBackendOptions(256, Sequences, 512, 0));
        var adapters = paths.AdapterPaths.Take(Sequences).Select(_backend.LoadAdapter).ToArray();
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
        _backend?.Dispose();
        _model?.Dispose();
    }
}
