using BenchmarkDotNet.Attributes;
using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// Validating one adapter file end to end: header, metadata and pair rules, then every weight read back and
/// checked for NaN/Inf/huge values. The tiny adapters (f32, f16, bf16; a few KB) show the fixed cost; bench-r16
/// (f16, about 5.6 MB) shows the per-value cost an upload of a real-sized adapter pays.
/// </summary>
[MemoryDiagnoser]
public class AdapterValidatorBenchmarks
{
    private string _directory = "";
    private string _adapterPath = "";
    private BaseModelShapes? _shapes;

    [Params("tiny-attn-r4", "tiny-mlp-r8", "tiny-all-r2", BenchShapedAdapter.Name)]
    public string Adapter { get; set; } = "tiny-attn-r4";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"openlora-bench-validator-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        try
        {
            Prepare();
        }
        catch
        {
            // BenchmarkDotNet skips the cleanup when the setup throws.
            Cleanup();
            throw;
        }
    }

    [Benchmark]
    public bool Validate() => AdapterValidator.Validate(_adapterPath, _shapes!).IsValid;

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_directory.Length > 0 && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Prepare()
    {
        if (Adapter == BenchShapedAdapter.Name)
        {
            _adapterPath = BenchShapedAdapter.Write(_directory, TestModelGenerator.DefaultSeed);
            _shapes = BenchShapedAdapter.Shapes();
        }
        else
        {
            var models = TestModelGenerator.WriteTiny(_directory);
            _adapterPath = models.AdapterPaths.Single(path => Path.GetFileNameWithoutExtension(path) == Adapter);
            _shapes = BaseModelShapes.FromFile(models.BaseModelPath);
        }

        // A refused file would measure the early exit, not a full read of every value.
        var result = AdapterValidator.Validate(_adapterPath, _shapes);
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"{Adapter} was refused: {result.Reason}");
        }
    }
}
