namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>Upper bounds, not expectations: they only turn a hang into a failure.</summary>
internal static class TestTimeouts
{
    /// <summary>Model generation and loading on a 2-core machine, with room to spare.</summary>
    public static readonly TimeSpan ServerStart = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Request = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(100);
}
