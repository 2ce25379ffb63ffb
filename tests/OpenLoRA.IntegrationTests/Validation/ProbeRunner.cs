using System.Diagnostics;

namespace OpenLoRA.IntegrationTests.Validation;

/// <summary>
/// Runs `openlora adapters probe` in child processes over many files. A file that kills the process is the last
/// one with a BEGIN line and no RESULT; it is recorded as crashed and a new process continues with the files after
/// it. Every child is killed (with its tree) if it is still running when we are done with it.
/// </summary>
internal sealed class ProbeRunner(string modelPath, TimeSpan processTimeout)
{
    public static string CliAssembly => Path.Combine(AppContext.BaseDirectory, "openlora.dll");

    public async Task<IReadOnlyList<ProbeOutcome>> RunAsync(IReadOnlyList<string> files)
    {
        var outcomes = new List<ProbeOutcome>();
        while (outcomes.Count < files.Count)
        {
            var batch = files.Skip(outcomes.Count).ToList();
            var before = outcomes.Count;
            await RunProcessAsync(batch, outcomes);
            if (outcomes.Count == before)
            {
                throw new InvalidOperationException($"the probe process reported nothing for '{batch[0]}'");
            }
        }

        return outcomes;
    }

    private async Task RunProcessAsync(IReadOnlyList<string> files, List<ProbeOutcome> outcomes)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[CliAssembly, "adapters", "probe", "--model", modelPath, .. files])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the probe");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(processTimeout);
        try
        {
            string? begun = null;
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("BEGIN ", StringComparison.Ordinal))
                {
                    begun = line["BEGIN ".Length..];
                }
                else if (line.StartsWith("RESULT ", StringComparison.Ordinal))
                {
                    var split = line.LastIndexOf(' ');
                    outcomes.Add(new ProbeOutcome(line["RESULT ".Length..split], line[(split + 1)..]));
                    begun = null;
                }
            }

            await process.WaitForExitAsync(timeout.Token);
            if (begun is not null)
            {
                outcomes.Add(new ProbeOutcome(begun, ProbeOutcome.Crashed, process.ExitCode));
            }
            else if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"the probe exited with {process.ExitCode} between files: {errors}");
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"the probe did not finish within {processTimeout}: {errors}", ex);
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
