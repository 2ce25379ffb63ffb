using System.CommandLine;
using OpenLoRA.Cli.Probing;
using OpenLoRA.Gguf;

namespace OpenLoRA.Cli.Commands;

/// <summary>`openlora adapters validate|probe|convert|upload|delete`.</summary>
internal static class AdaptersCommand
{
    public static Command Create()
    {
        var adapters = new Command("adapters", "LoRA adapter files");
        adapters.Subcommands.Add(CreateValidate());
        adapters.Subcommands.Add(CreateProbe());
        adapters.Subcommands.Add(AdaptersConvertCommand.Create());
        adapters.Subcommands.Add(AdaptersUploadCommand.Create());
        adapters.Subcommands.Add(AdaptersDeleteCommand.Create());
        return adapters;
    }

    private static Command CreateValidate()
    {
        var model = ModelOption();
        var files = FilesArgument();
        var validate = new Command("validate", "Check adapter files against a base model; exit 1 if any is invalid") { model, files };
        validate.SetAction(result => Validate(result.GetValue(model)!, result.GetValue(files)!));
        return validate;
    }

    // Loads files into llama.cpp without validating them, to find the ones that kill the process; a test harness
    // reads the BEGIN/RESULT lines, so it is hidden from help.
    private static Command CreateProbe()
    {
        var model = ModelOption();
        var files = FilesArgument();
        var probe = new Command("probe", "Load each file into llama.cpp unvalidated and report loaded|refused|nonfinite") { model, files };
        probe.Hidden = true;
        probe.SetAction(result => AdapterProbe.Run(result.GetValue(model)!, result.GetValue(files)!, Console.Out));
        return probe;
    }

    private static int Validate(string modelPath, string[] files)
    {
        BaseModelShapes shapes;
        try
        {
            shapes = BaseModelShapes.FromFile(modelPath);
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cannot read base model '{modelPath}': {ex.Message}");
            return 2;
        }

        var invalid = 0;
        foreach (var file in files)
        {
            string verdict;
            try
            {
                var result = AdapterValidator.Validate(file, shapes);
                verdict = result.IsValid ? $"OK rank {result.Rank}, alpha {result.Alpha}, {result.Targets.Count} targets" : result.Reason;
                invalid += result.IsValid ? 0 : 1;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                verdict = $"cannot read: {ex.Message}";
                invalid++;
            }

            Console.WriteLine($"{file}: {verdict}");
        }

        return invalid == 0 ? 0 : 1;
    }

    private static Option<string> ModelOption() => new("--model")
    {
        Description = "Base model GGUF file",
        Required = true,
    };

    private static Argument<string[]> FilesArgument() => new("files")
    {
        Description = "Adapter GGUF files",
        Arity = ArgumentArity.OneOrMore,
    };
}
