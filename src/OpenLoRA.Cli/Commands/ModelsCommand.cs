using System.CommandLine;
using System.Diagnostics;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Cli.Commands;

/// <summary>`openlora models make`: writes the deterministic tiny and bench model sets.</summary>
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
        var tinyOnly = new Option<bool>("--tiny-only") { Description = "Skip the 134M-parameter bench set" };
        var arch = new Option<string?>("--arch")
        {
            Description = $"Also write architecture models into arch/: 'all' or a comma-separated list of {string.Join(", ", TestModelGenerator.ArchitectureFamilies)}",
        };
        var size = new Option<ArchitectureModelSize>("--size")
        {
            Description = "Size of the architecture models: Small or Bench",
            DefaultValueFactory = _ => ArchitectureModelSize.Small,
        };
        var make = new Command("make", "Generate the tiny and bench test models and their adapters") { directory, seed, tinyOnly, arch, size };
        make.SetAction(result => Make(result.GetValue(directory)!, result.GetValue(seed), result.GetValue(tinyOnly), result.GetValue(arch), result.GetValue(size)));

        var models = new Command("models", "Test and bench models");
        models.Subcommands.Add(make);
        return models;
    }

    private static int Make(string directory, int seed, bool tinyOnly, string? arch, ArchitectureModelSize size)
    {
        Report("tiny", () => TestModelGenerator.WriteTiny(directory, seed));
        if (!tinyOnly)
        {
            Report("bench", () => TestModelGenerator.WriteBench(directory, seed));
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

            foreach (var set in TestModelGenerator.WriteArchitectureModels(directory, size, families, seed))
            {
                Report(set.Family, () => new TestModelSet(set.BaseModelPath, set.AdapterPaths));
            }
        }

        return 0;
    }

    private static void Report(string name, Func<TestModelSet> generate)
    {
        var clock = Stopwatch.StartNew();
        var set = generate();
        Console.WriteLine($"{name}: {set.BaseModelPath} ({new FileInfo(set.BaseModelPath).Length:N0} bytes) in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var adapter in set.AdapterPaths)
        {
            Console.WriteLine($"  {adapter} ({new FileInfo(adapter).Length:N0} bytes)");
        }
    }
}
