namespace OpenLoRA.Cli.Verification;

/// <summary>The fetched trace and the verdict of every check on it, in display order.</summary>
internal sealed record VerificationReport(FetchedTrace Trace, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>0 when nothing failed, 1 otherwise (2 is for runs that could not verify at all).</summary>
    public int ExitCode => Checks.Any(c => c.Verdict == Verdict.Fail) ? 1 : 0;
}
