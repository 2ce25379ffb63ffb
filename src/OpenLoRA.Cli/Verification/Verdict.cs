namespace OpenLoRA.Cli.Verification;

/// <summary>The outcome of one check; only <see cref="Fail"/> makes the command exit non-zero.</summary>
internal enum Verdict
{
    Pass,
    Fail,
    Skip,
    Info,
}
