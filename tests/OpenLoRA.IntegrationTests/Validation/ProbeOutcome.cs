namespace OpenLoRA.IntegrationTests.Validation;

/// <summary>What `openlora adapters probe` said about one file: loaded, refused, nonfinite, or crashed (with the exit code).</summary>
internal sealed record ProbeOutcome(string File, string Result, int? ExitCode = null)
{
    public const string Loaded = "loaded";
    public const string Refused = "refused";
    public const string Crashed = "crashed";
}
