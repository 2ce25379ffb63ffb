using BenchmarkDotNet.Attributes;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Gguf;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Both backends on the same model file, per model: the bench llama in f16 and in llama.cpp's Q4_K_M, plus every
/// <c>$OPENLORA_MODELS/arch/*-bench*.gguf</c> present. Workloads on the base model: a decode step of 1, 8 or 32
/// sequences (16-token prompts, positions up to 240) and the prefill of one 512-token prompt in one step; and a decode
/// step of 32 sequences all on one adapter or spread over 8 distinct adapters (from the model folder's adapters/ that
/// the validator accepts for the file). One operation is one step: decode tokens/s = sequences / mean, prefill
/// tokens/s = 512 / mean. Run: docs/GGML-BACKEND.md "Quantized weights".
/// </summary>
[MemoryDiagnoser(false)]
public class ModelThroughputBenchmarks
{
    public const string F16 = "bench-f16";
    public const string Q4KM = "bench-Q4_K_M";

    private const int StepsPerInvoke = 8;
    private const int PromptTokens = 16;
    private const int DecodeContext = 256;
    private const int PrefillTokens = 512;

    private BenchBackend? _bench;
    private IStepBackend? _backend;
    private IBackendAdapter?[] _adapters = [];
    private StepItem[] _items = [];
    private int[][] _next = [];
    private int _position;
    private int _sequences;

    /// <summary>"bench-f16", "bench-Q4_K_M", or a file under <c>$OPENLORA_MODELS/arch/</c>.</summary>
    [ParamsSource(nameof(ModelFiles))]
    public string Model { get; set; } = F16;

    [Params("llamasharp", "ggml")]
    public string Backend { get; set; } = "ggml";

    [Params("decode-1", "decode-8", "decode-32", "prefill-512", "decode-32-one-adapter", "decode-32-eight-adapters")]
    public string Workload { get; set; } = "decode-8";

    /// <summary>The models to run: all of them, or those named in <c>$OPENLORA_BENCH_MODELS</c> (comma-separated).</summary>
    public static IEnumerable<string> ModelFiles()
    {
        var arch = Path.Combine(BenchBackend.ModelsDirectory, "arch");
        var all = new List<string> { F16, Q4KM };
        if (Directory.Exists(arch))
        {
            all.AddRange(Directory.EnumerateFiles(arch, "*-bench*.gguf").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
        }

        var chosen = Environment.GetEnvironmentVariable("OPENLORA_BENCH_MODELS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return chosen is { Length: > 0 } ? all.Where(chosen.Contains) : all;
    }

    [GlobalSetup]
    public void Setup()
    {
        var prefill = Workload == "prefill-512";
        _sequences = prefill ? 1 : int.Parse(Workload.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
        var adapters = Workload.EndsWith("eight-adapters", StringComparison.Ordinal) ? 8 : Workload.EndsWith("one-adapter", StringComparison.Ordinal) ? 1 : 0;
        var path = ResolveModel();
        _bench = prefill
            ? new BenchBackend(Backend, PrefillTokens, 1, PrefillTokens, modelPath: path)
            : new BenchBackend(Backend, DecodeContext, _sequences, PrefillTokens, modelPath: path);
        _backend = _bench.Backend;
        var loaded = AdaptersFor(path, adapters).Select(_backend.LoadAdapter).ToArray();
        _adapters = Enumerable.Range(0, _sequences).Select(s => loaded.Length == 0 ? null : loaded[s % loaded.Length]).ToArray();
        _items = new StepItem[_sequences];
        _next = Enumerable.Range(0, _sequences).Select(_ => new int[1]).ToArray();
        if (prefill)
        {
            var prompt = Enumerable.Range(0, PrefillTokens).Select(i => 100 + (37 * i) % 20000 % _backend.VocabSize).ToArray();
            _items[0] = new StepItem(0, null, prompt, 0, true);
        }
        else
        {
            Prefill();
        }
    }

    [IterationSetup]
    public void ResetWhenFull()
    {
        if (Workload != "prefill-512" && _position + StepsPerInvoke >= DecodeContext - 16)
        {
            for (var s = 0; s < _sequences; s++)
            {
                _backend!.ClearSequence(s);
            }

            Prefill();
        }
    }

    /// <summary>One step per operation: a decode step of every sequence, or the 512-token prefill.</summary>
    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public void Step()
    {
        for (var step = 0; step < StepsPerInvoke; step++)
        {
            if (Workload == "prefill-512")
            {
                _backend!.ClearSequence(0);
                _backend.Execute(_items, static (_, _) => { });
                continue;
            }

            for (var s = 0; s < _sequences; s++)
            {
                _items[s] = new StepItem(s, _adapters[s], _next[s], _position, true);
            }

            _backend!.Execute(_items, OnLogits);
            _position++;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _bench?.Dispose();

    private string ResolveModel()
    {
        var directory = BenchBackend.ModelsDirectory;
        var f16 = Gguf.TestModels.TestModelGenerator.EnsureBenchModels(directory).BaseModelPath;
        return Model switch
        {
            F16 => f16,
            Q4KM => ModelQuantizer.EnsureQuantized(f16, "Q4_K_M"),
            _ => Path.Combine(directory, "arch", Model),
        };
    }

    /// <summary>The first <paramref name="count"/> adapters in the model folder's adapters/ that fit the model.</summary>
    private static List<string> AdaptersFor(string model, int count)
    {
        if (count == 0)
        {
            return [];
        }

        var folder = Path.Combine(Path.GetDirectoryName(model)!, "adapters");
        var shapes = BaseModelShapes.FromFile(model);
        var found = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.gguf").Order(StringComparer.Ordinal).Where(p => AdapterValidator.Validate(p, shapes).IsValid).Take(count).ToList()
            : [];
        return found.Count == count ? found : throw new InvalidOperationException($"{folder} holds {found.Count} adapters for {Path.GetFileName(model)}, {count} needed.");
    }

    private void Prefill()
    {
        var prompt = Enumerable.Range(0, PromptTokens).Select(i => 100 + i).ToArray();
        for (var s = 0; s < _sequences; s++)
        {
            _items[s] = new StepItem(s, _adapters[s], prompt, 0, true);
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
