using System.Globalization;

namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Generates the deterministic test and bench models: the same seed gives byte-identical files on any machine.
/// Layout: <c>&lt;dir&gt;/tiny/tiny-llama.gguf</c>, <c>&lt;dir&gt;/tiny/adapters/*.gguf</c>,
/// <c>&lt;dir&gt;/small/small-llama.gguf</c>, <c>&lt;dir&gt;/small/adapters/*.gguf</c>,
/// <c>&lt;dir&gt;/bench/bench-llama.gguf</c>, <c>&lt;dir&gt;/bench/adapters/*.gguf</c>. Every file is written
/// through a temp file and a rename, so a crash or a concurrent generator never leaves a partial model.
/// </summary>
public static class TestModelGenerator
{
    public const int DefaultSeed = 42;

    /// <summary>The tiny model's spec; building its vocabulary each time would dominate writing thousands of variants.</summary>
    private static readonly Lazy<LlamaModelSpec> TinyModel = new(() => TestModelCatalog.Tiny().Model());

    /// <summary>The bench model's spec (seed 42): its 32,000-token vocabulary is built at most once per process.</summary>
    private static readonly Lazy<LlamaModelSpec> BenchModel = new(() => TestModelCatalog.Bench(DefaultSeed).Model());

    /// <summary>Writes whichever tiny files (seed 42) are missing and returns the paths of the whole tiny set.</summary>
    public static TestModelSet EnsureTinyModels(string modelsDirectory) =>
        Generate(TestModelCatalog.Tiny() with { Model = () => TinyModel.Value }, modelsDirectory, DefaultSeed, onlyMissing: true);

    /// <summary>
    /// Writes whichever small files (seed 42) are missing: <c>&lt;dir&gt;/small/small-llama.gguf</c> (256-wide, f16, the
    /// quantization tests' source) and its adapters.
    /// </summary>
    public static TestModelSet EnsureSmallModels(string modelsDirectory) =>
        Generate(TestModelCatalog.Small(DefaultSeed), modelsDirectory, DefaultSeed, onlyMissing: true);

    public static TestModelSet WriteSmall(string modelsDirectory, int seed = DefaultSeed) =>
        Generate(TestModelCatalog.Small(seed), modelsDirectory, seed, onlyMissing: false);

    /// <summary>Writes whichever bench files (seed 42) are missing; the base model takes a few seconds.</summary>
    public static TestModelSet EnsureBenchModels(string modelsDirectory) =>
        Generate(BenchPlan(), modelsDirectory, DefaultSeed, onlyMissing: true);

    /// <summary>
    /// Makes sure the bench adapter folder holds <paramref name="count"/> adapters beyond the bench set's sixteen (for
    /// load tests over many distinct adapters): <c>bench-x-00</c>, <c>bench-x-01</c>, … (three digits from 100 on, so a
    /// name never changes with <paramref name="count"/>), shaped like the bench adapters (all seven projections, f16,
    /// alpha twice the rank) with ranks alternating 8 and 16. Writes the bench set first and then only the missing
    /// variants; each variant's weights follow from its name (seed 42), so every machine writes the same bytes.
    /// Returns the full paths of the <paramref name="count"/> variants.
    /// </summary>
    public static IReadOnlyList<string> EnsureBenchAdapterVariants(string modelsDirectory, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        EnsureBenchModels(modelsDirectory);
        var root = Path.GetFullPath(modelsDirectory);
        var plan = BenchPlan();
        var paths = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var rank = i % 2 == 0 ? 8 : 16;
            var name = "bench-x-" + i.ToString("D2", CultureInfo.InvariantCulture);
            var spec = plan.Adapters.First(adapter => adapter.Rank == rank) with { Name = name };
            var path = plan.AdapterPath(root, spec);
            if (!File.Exists(path))
            {
                AtomicFile.Write(path, temp => LoraAdapterWriter.Write(BenchModel.Value, spec, temp, DefaultSeed));
            }

            paths.Add(path);
        }

        return paths;
    }

    public static TestModelSet WriteTiny(string modelsDirectory, int seed = DefaultSeed) =>
        Generate(TestModelCatalog.Tiny(), modelsDirectory, seed, onlyMissing: false);

    public static TestModelSet WriteBench(string modelsDirectory, int seed = DefaultSeed) =>
        Generate(TestModelCatalog.Bench(seed), modelsDirectory, seed, onlyMissing: false);

    /// <summary>
    /// Writes <c>&lt;directory&gt;/&lt;name&gt;.gguf</c>: a small valid adapter for the tiny model (rank 2 on attn_q and
    /// attn_v, f16, about 2.5 KB) whose weights depend on both <paramref name="name"/> and <paramref name="seed"/>, so
    /// every pair gives a distinct file (and content hash). Fast enough to register thousands; returns the path.
    /// </summary>
    public static string WriteTinyAdapterVariant(string directory, string name, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = Path.Combine(Path.GetFullPath(directory), $"{name}.gguf");
        var spec = new LoraAdapterSpec(name, 2, 4f, ["attn_q", "attn_v"], false, GgmlType.F16, 1.5f);
        AtomicFile.Write(path, temp => LoraAdapterWriter.Write(TinyModel.Value, spec, temp, seed));
        return path;
    }

    /// <summary>The families <see cref="EnsureArchitectureModels"/> writes: llama3, mistral, llama-linear, qwen2, qwen3, gemma2, gemma3.</summary>
    public static IReadOnlyList<string> ArchitectureFamilies => ArchitectureCatalog.Families;

    /// <summary>
    /// Writes whichever architecture files (seed 42) are missing and returns, per family (all of
    /// <see cref="ArchitectureFamilies"/> unless <paramref name="families"/> names some), the base model
    /// <c>&lt;dir&gt;/arch/&lt;family&gt;-&lt;size&gt;.gguf</c>, its adapters
    /// <c>&lt;dir&gt;/arch/adapters/&lt;family&gt;-&lt;size&gt;-r8.gguf</c> (all seven projections) and
    /// <c>…-attn-r4.gguf</c> (attention only), and their PEFT twins <c>&lt;dir&gt;/arch/peft/&lt;adapter&gt;/</c>.
    /// </summary>
    public static IReadOnlyList<ArchitectureModelSet> EnsureArchitectureModels(string modelsDirectory, ArchitectureModelSize size, IEnumerable<string>? families = null) =>
        (families ?? ArchitectureFamilies).Select(family => GenerateArchitecture(modelsDirectory, family, size, DefaultSeed, onlyMissing: true)).ToList();

    /// <summary>Like <see cref="EnsureArchitectureModels"/> but rewrites every file with <paramref name="seed"/>.</summary>
    public static IReadOnlyList<ArchitectureModelSet> WriteArchitectureModels(string modelsDirectory, ArchitectureModelSize size, IEnumerable<string>? families = null, int seed = DefaultSeed) =>
        (families ?? ArchitectureFamilies).Select(family => GenerateArchitecture(modelsDirectory, family, size, seed, onlyMissing: false)).ToList();

    private static ArchitectureModelSet GenerateArchitecture(string modelsDirectory, string family, ArchitectureModelSize size, int seed, bool onlyMissing)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelsDirectory);
        var root = Path.Combine(Path.GetFullPath(modelsDirectory), "arch");
        var model = ArchitectureCatalog.Model(family, size);
        var adapters = ArchitectureCatalog.Adapters(family, size);
        var modelPath = Path.Combine(root, $"{model.Name}.gguf");
        var adapterPaths = adapters.Select(adapter => Path.Combine(root, "adapters", $"{adapter.Name}.gguf")).ToList();
        var peftDirectories = adapters.Select(adapter => Path.Combine(root, "peft", adapter.Name)).ToList();
        if (!onlyMissing || !File.Exists(modelPath))
        {
            AtomicFile.Write(modelPath, temp => LlamaModelWriter.Write(model, temp, seed));
        }

        for (var i = 0; i < adapters.Count; i++)
        {
            if (!onlyMissing || !File.Exists(adapterPaths[i]))
            {
                AtomicFile.Write(adapterPaths[i], temp => LoraAdapterWriter.Write(model, adapters[i], temp, seed));
            }

            var peft = peftDirectories[i];
            if (!onlyMissing || !File.Exists(Path.Combine(peft, "adapter_config.json")) || !File.Exists(Path.Combine(peft, "adapter_model.safetensors")))
            {
                // Written beside and renamed into place, so a concurrent generator never sees half a folder.
                var temp = $"{peft}.{Guid.NewGuid():N}.tmp";
                PeftAdapterWriter.WriteFor(model, adapters[i], temp, seed);
                if (Directory.Exists(peft))
                {
                    Directory.Delete(peft, recursive: true);
                }

                try
                {
                    Directory.Move(temp, peft);
                }
                catch (IOException) when (Directory.Exists(peft))
                {
                    Directory.Delete(temp, recursive: true);
                }
            }
        }

        return new ArchitectureModelSet(family, model.Architecture, size, modelPath, adapterPaths, peftDirectories);
    }

    /// <summary>The bench set (seed 42) over the cached <see cref="BenchModel"/>.</summary>
    private static ModelSetPlan BenchPlan() => TestModelCatalog.Bench(DefaultSeed) with { Model = () => BenchModel.Value };

    private static TestModelSet Generate(ModelSetPlan plan, string modelsDirectory, int seed, bool onlyMissing)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelsDirectory);
        var root = Path.GetFullPath(modelsDirectory);
        var modelPath = plan.BaseModelPath(root);
        var adapterPaths = plan.Adapters.Select(adapter => plan.AdapterPath(root, adapter)).ToList();
        if (onlyMissing && File.Exists(modelPath) && adapterPaths.All(File.Exists))
        {
            return new TestModelSet(modelPath, adapterPaths);
        }

        // Adapters need only the model's shapes, which are cheap to build without writing the weights.
        var model = plan.Model();
        if (!onlyMissing || !File.Exists(modelPath))
        {
            AtomicFile.Write(modelPath, temp => LlamaModelWriter.Write(model, temp, seed));
        }

        for (var i = 0; i < plan.Adapters.Count; i++)
        {
            var adapter = plan.Adapters[i];
            if (!onlyMissing || !File.Exists(adapterPaths[i]))
            {
                AtomicFile.Write(adapterPaths[i], temp => LoraAdapterWriter.Write(model, adapter, temp, seed));
            }
        }

        return new TestModelSet(modelPath, adapterPaths);
    }
}
