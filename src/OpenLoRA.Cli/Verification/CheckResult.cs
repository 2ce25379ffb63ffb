namespace OpenLoRA.Cli.Verification;

/// <summary>One row of the verification table.</summary>
/// <param name="Check">Short name of what was checked (hash, signature, merkle, ...).</param>
/// <param name="Verdict">PASS, FAIL, SKIP or INFO.</param>
/// <param name="Detail">What was compared, or the first difference found.</param>
internal sealed record CheckResult(string Check, Verdict Verdict, string Detail)
{
    public static CheckResult Pass(string check, string detail) => new(check, Verdict.Pass, detail);

    public static CheckResult Fail(string check, string detail) => new(check, Verdict.Fail, detail);

    public static CheckResult Skip(string check, string detail) => new(check, Verdict.Skip, detail);

    public static CheckResult Info(string check, string detail) => new(check, Verdict.Info, detail);
}
