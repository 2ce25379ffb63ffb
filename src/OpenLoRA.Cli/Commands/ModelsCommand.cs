using System.CommandLine;
using System.Diagnostics;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Cli.Commands;

/// <summary>
/// `openlora models make`: writes the deterministic tiny, small and bench model sets, and with
/// <c>--quantize Q8_0,Q4_K_M,…</c> llama.cpp's quantized copy of each base model in each type
/// (<c>&lt;name&gt;-&lt;TYPE&gt;.gguf</c> beside it).
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir")
        {
            Description = "Folder that receives tiny/ and bench/",
            DefaultValueFactory = _ => "models",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the generator; the same seed gives byte-identical files",
            DefaultValueFactory = _ => TestModelGenerator.DefaultSeed,
        };
        var tinyOnly = new Option<bool>("--tiny-only") { Description = "Skip the small and the 134M-parameter bench sets" };
        var quantize = new Option<string[]>("--quantize")
        {
            Description = $"Also write llama.cpp's quantized copy of each base model in these types, comma-separated ({string.Join(", ", ModelQuantizer.Types)})",
            CustomParser = argument => [.. argument.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        quantize.Validators.Add(result =>
        {
            var unknown = result.GetValueOrDefault<string[]>()?.FirstOrDefault(type => !ModelQuantizer.Types.Contains(type, StringComparer.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                result.AddError($"unknown quantization '{unknown}'; known: {string.Join(", ", ModelQuantizer.Types)}");
            }
        });
        var arch = new Option<string?>("--arch")
        {
            Description = $"Also write architecture models into arch/: 'all' or a comma-separated list of {string.Join(", ", TestModelGenerator.ArchitectureFamilies)}",
        };
        var size = new Option<ArchitectureModelSize>("--size")
        {
            Description = "Size of the architecture models: Small or Bench",
            DefaultValueFactory = _ => ArchitectureModelSize.Small,
        };
        var make = new Command("make", "Generate the tiny, small and bench test models, the architecture models and their adapters") { directory, seed, tinyOnly, quantize, arch, size };
        make.SetAction(result => Make(result.GetValue(directory)!, result.GetValue(seed), result.GetValue(tinyOnly), result.GetValue(quantize) ?? [], result.GetValue(arch), result.GetValue(size)));

        var models = new Command("models", "Test and bench models");
        models.Subcommands.Add(make);
        return models;
    }

    private static int Make(string directory, int seed, bool tinyOnly, string[] quantize, string? arch, ArchitectureModelSize size)
    {
        Report("tiny", () => TestModelGenerator.WriteTiny(directory, seed), quantize);
        if (!tinyOnly)
        {
            Report("small", () => TestModelGenerator.WriteSmall(directory, seed), quantize);
            Report("bench", () => TestModelGenerator.WriteBench(directory, seed), quantize);
        }

        if (arch is not null)
        {
            var families = arch == "all" ? TestModelGenerator.ArchitectureFamilies : arch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var unknown = families.Except(TestModelGenerator.ArchitectureFamilies).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"unknown architecture families: {string.Join(", ", unknown)}");
                return 2;
            }

            // One family per report, so the time printed is that family's generation (all at once printed 0.0 s).
            foreach (var family in families)
            {
                Report(family, () =>
                {
                    var set = TestModelGenerator.WriteArchitectureModels(directory, size, [family], seed).Single();
                    return new TestModelSet(set.BaseModelPath, set.AdapterPaths);
                }, quantize);
            }
        }

        return 0;
    }

    private static void Report(string name, Func<TestModelSet> generate, string[] quantize)
    {
        var clock = Stopwatch.StartNew();
        var set = generate();
        Console.WriteLine($"{name}: {set.BaseModelPath} ({new FileInfo(set.BaseModelPath).Length:N0} bytes) in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var adapter in set.AdapterPaths)
        {
            Console.WriteLine($"  {adapter} ({new FileInfo(adapter).Length:N0} bytes)");
        }

        foreach (var type in quantize)
        {
            clock.Restart();
            var path = ModelQuantizer.Quantize(set.BaseModelPath, type);
            Console.WriteLine($"  {path} ({new FileInfo(path).Length:N0} bytes) in {clock.Elapsed.TotalSeconds:F1} s");
        }
    }
}
