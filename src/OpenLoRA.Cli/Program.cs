using OpenLoRA.Cli.Commands;

return CliApplication.Create().Parse(args).Invoke();
