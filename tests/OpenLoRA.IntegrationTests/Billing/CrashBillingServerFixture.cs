namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>A billing server of its own, for tests that kill and restart it.</summary>
public sealed class CrashBillingServerFixture : BillingServerFixture;
