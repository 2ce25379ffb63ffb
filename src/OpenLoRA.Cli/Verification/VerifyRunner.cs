using Spectre.Console;

namespace OpenLoRA.Cli.Verification;

/// <summary>
/// The core of `openlora verify`, separate from the command line so tests drive it in-process: verifies, prints the
/// table to <c>output</c> and problems to <c>error</c>, and returns the exit code: 0 all checks passed (or were
/// skipped), 1 a check failed, 2 the trace could not be verified at all.
/// </summary>
internal static class VerifyRunner
{
    public static async Task<int> RunAsync(VerifyArguments arguments, IAnsiConsole output, TextWriter error, CancellationToken cancellationToken)
    {
        VerificationReport report;
        try
        {
            report = await TraceVerification.VerifyAsync(arguments, cancellationToken);
        }
        catch (VerifyException ex)
        {
            await error.WriteLineAsync($"verify: {ex.Message}");
            return 2;
        }

        Render(report, output);
        return report.ExitCode;
    }

    private static void Render(VerificationReport report, IAnsiConsole output)
    {
        output.MarkupLine($"trace [bold]{Markup.Escape(report.Trace.Id)}[/], status {Markup.Escape(report.Trace.Status)}, signer {Markup.Escape(report.Trace.Signer)}");
        var table = new Table().AddColumn("check").AddColumn("verdict").AddColumn("detail");
        foreach (var check in report.Checks)
        {
            table.AddRow(new Text(check.Check), new Markup(Label(check.Verdict)), new Text(check.Detail));
        }

        output.Write(table);
        var failed = report.Checks.Count(c => c.Verdict == Verdict.Fail);
        output.MarkupLine(failed == 0 ? "[green]verified[/]: no check failed" : $"[red]NOT verified[/]: {failed} check(s) failed");
    }

    private static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "[green]PASS[/]",
        Verdict.Fail => "[red]FAIL[/]",
        Verdict.Skip => "[grey]SKIP[/]",
        _ => "[blue]INFO[/]",
    };
}
