using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// A step backend on the generated 134M bench model (generated once into <c>$OPENLORA_MODELS</c>, default
/// <c>/tmp/openlora-bench-models</c>), or on another model file: "llamasharp", "ggml" (LoRA through the CPU kernel),
/// "ggml-mul_mat_id" (LoRA through ggml's mul_mat_id, the GPU path) or "ggml-norepack" (every weight in the default
/// buffer, llama.cpp's --no-repack).
/// </summary>
internal sealed class BenchBackend : IDisposable
{
    private readonly LlamaModel _model;

    /// <param name="modelPath">The model to run; null: the bench model.</param>
    public BenchBackend(string kind, int context, int sequences, int stepTokens, int adapterSlots = 8, int slotRank = 16, string? modelPath = null)
    {
        Models = TestModelGenerator.EnsureBenchModels(ModelsDirectory);
        ModelPath = modelPath ?? Models.BaseModelPath;
        LlamaRuntime.EnsureInitialized();
        var ggml = kind.StartsWith("ggml", StringComparison.Ordinal);
        _model = LlamaModel.Load(ModelPath, vocabularyOnly: ggml);
        if (!ggml)
        {
            Backend = new LlamaStepBackend(_model, new LlamaStepBackendOptions(context, sequences, stepTokens, Threads));
            return;
        }

        if (!GgmlLlamaConfig.TryRead(ModelPath, out var config, out var reason))
        {
            throw new InvalidOperationException(reason);
        }

        Backend = new GgmlStepBackend(config, new GgmlStepBackendOptions(
            context, sequences, stepTokens, Threads, adapterSlots, slotRank, LoraKernel: kind != "ggml-mul_mat_id", RepackWeights: kind != "ggml-norepack"));
    }

    /// <summary><c>$OPENLORA_MODELS</c>, default <c>/tmp/openlora-bench-models</c>.</summary>
    public static string ModelsDirectory =>
        Environment.GetEnvironmentVariable("OPENLORA_MODELS") ?? Path.Combine(Path.GetTempPath(), "openlora-bench-models");

    /// <summary>
    /// Compute threads of either backend: <c>$OPENLORA_BENCH_THREADS</c>, default 0 (one per core). One thread keeps
    /// the two backends comparable on a machine others are loading, where a descheduled worker stalls every barrier of
    /// ggml's thread pool.
    /// </summary>
    public static int Threads =>
        int.TryParse(Environment.GetEnvironmentVariable("OPENLORA_BENCH_THREADS"), out var threads) && threads > 0 ? threads : 0;

    public TestModelSet Models { get; }

    public string ModelPath { get; }

    public IStepBackend Backend { get; }

    /// <summary>The first <paramref name="count"/> bench adapters of rank <paramref name="rank"/> ("-r8-" or "-r16-" in the name), or of any rank.</summary>
    public IEnumerable<string> Adapters(int count, int? rank = null) =>
        Models.AdapterPaths.Where(p => rank is null || p.Contains($"-r{rank}-", StringComparison.Ordinal)).Take(count);

    public void Dispose()
    {
        Backend.Dispose();
        _model.Dispose();
    }
}
