namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>
/// A billing server of its own, for tests that kill or stop and restart it. After SIGTERM its generations get one
/// second before they are cancelled, so a shutdown test sees streams cut by the grace period.
/// </summary>
public sealed class CrashBillingServerFixture : BillingServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
        [.. base.ConfigurationOverrides, new("OpenLoRA:Server:ShutdownGraceSeconds", "1")];
}
