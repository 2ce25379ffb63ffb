namespace OpenLoRA.Chain.Tests.Submission;

/// <summary>A clock the test moves by hand, so "unmined for ResendAfter" needs no waiting.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
