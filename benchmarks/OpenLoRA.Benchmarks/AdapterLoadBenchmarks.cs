using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Loading one rank-16 adapter of the 134M bench model (all seven projections, 5.6 MB, from the page cache) and
/// unloading it: LLamaSharp allocates and frees it; the ggml backend copies it into a free slot (padding the rank,
/// folding alpha/r into B) and frees the slot.
/// </summary>
[MemoryDiagnoser(false)]
public class AdapterLoadBenchmarks
{
    private LlamaModel? _model;
    private IStepBackend? _backend;
    private string _adapter = "";

    [Params("llamasharp", "ggml")]
    public string Backend { get; set; } = "llamasharp";

    [GlobalSetup]
    public void Setup()
    {
        var directory = Environment.GetEnvironmentVariable("OPENLORA_MODELS") ?? Path.Combine(Path.GetTempPath(), "openlora-bench-models");
        var paths = TestModelGenerator.EnsureBenchModels(directory);
        LlamaRuntime.EnsureInitialized();
        _model = LlamaModel.Load(paths.BaseModelPath, vocabularyOnly: Backend == "ggml");
        _backend = Backend == "ggml"
            ? new GgmlStepBackend(
                GgmlLlamaConfig.TryRead(paths.BaseModelPath, out var config, out var reason) ? config : throw new InvalidOperationException(reason),
                new GgmlStepBackendOptions(64, 1, 64, 0, 2, 16))
            : new LlamaStepBackend(_model, new LlamaStepBackendOptions(64, 1, 64, 0));
        _adapter = paths.AdapterPaths.First(p => p.Contains("-r16-", StringComparison.Ordinal));
    }

    [Benchmark]
    public void LoadAndUnload() => _backend!.UnloadAdapter(_backend.LoadAdapter(_adapter));

    [GlobalCleanup]
    public void Cleanup()
    {
        _backend?.Dispose();
        _model?.Dispose();
    }
}
