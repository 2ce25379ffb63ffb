using System.CommandLine;

namespace OpenLoRA.Cli.Commands;

/// <summary>The `openlora` command tree.</summary>
internal static class CliApplication
{
    public static RootCommand Create()
    {
        var root = new RootCommand("OpenLoRA: multi-LoRA inference server tools");
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(AdaptersCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        return root;
    }
}
