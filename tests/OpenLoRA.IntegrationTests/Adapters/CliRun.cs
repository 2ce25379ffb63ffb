using System.Diagnostics;
using OpenLoRA.IntegrationTests.Infrastructure;
using OpenLoRA.IntegrationTests.Validation;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>One run of the built `openlora` CLI as a child process; killed with its tree if it outlives the timeout.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public static async Task<CliRun> StartAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(ServerBinary.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ProbeRunner.CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("OPENLORA_PUBLISHER_KEY");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return new CliRun(process.ExitCode, await output, await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
