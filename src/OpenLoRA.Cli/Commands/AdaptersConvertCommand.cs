using System.CommandLine;
using OpenLoRA.Gguf.Peft;

namespace OpenLoRA.Cli.Commands;

/// <summary>`openlora adapters convert`: PEFT (adapter_model.safetensors + adapter_config.json) to a llama.cpp GGUF adapter.</summary>
internal static class AdaptersConvertCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The base model GGUF the adapter was trained on", Required = true };
        var peft = new Option<DirectoryInfo>("--peft") { Description = "Folder with adapter_model.safetensors and adapter_config.json", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The GGUF adapter to write", Required = true };
        var convert = new Command("convert", "Convert a PEFT LoRA adapter to a GGUF adapter") { model, peft, output };
        convert.SetAction(result => Run(result.GetValue(model)!, result.GetValue(peft)!, result.GetValue(output)!));
        return convert;
    }

    private static int Run(FileInfo model, DirectoryInfo peft, FileInfo output)
    {
        try
        {
            var conversion = PeftConverter.Convert(
                Path.Combine(peft.FullName, "adapter_model.safetensors"),
                Path.Combine(peft.FullName, "adapter_config.json"),
                model.FullName,
                output.FullName);
            Console.WriteLine($"{output.FullName}: rank {conversion.Rank}, alpha {conversion.Alpha}, {conversion.Targets.Count} targets");
            return 0;
        }
        catch (Exception ex) when (ex is PeftFormatException or Gguf.GgufFormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cannot convert: {ex.Message}");
            return 1;
        }
    }
}
