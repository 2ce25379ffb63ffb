using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Billing;

/// <summary>
/// The real server with billing on and its own local chain: deposits are read from the escrow, and an epoch is
/// closed and settled on it every second.
/// </summary>
public class BillingServerFixture : LocalChainServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        .. ChainSettings,
        new("OpenLoRA:Billing:Enabled", "true"),
        new("OpenLoRA:Billing:DepositPollInterval", "00:00:00.200"),
        new("OpenLoRA:Billing:EpochInterval", "00:00:01"),
        new("OpenLoRA:Billing:DevelopmentAccount", "true"),

        // Every request of the concurrency test is admitted or refused at once, never queued behind a full queue.
        new("OpenLoRA:Engine:BaseModels:0:QueueCapacity", "256"),
    ];
}
