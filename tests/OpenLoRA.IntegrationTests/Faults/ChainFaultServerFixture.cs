using OpenLoRA.IntegrationTests.Billing;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// The billing server with its local chain (anvil, contracts, escrow), sealing a batch every two traces and settling
/// an epoch every second, for the chain fault suite: the tests stop, roll back and reset that chain under it.
/// </summary>
public class ChainFaultServerFixture : BillingServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        .. base.ConfigurationOverrides,
        new("OpenLoRA:Attribution:BatchMaxTraces", "2"),
        new("OpenLoRA:Attribution:BatchIntervalSeconds", "86400"),
        new("OpenLoRA:Chain:MaxRetryDelay", "00:00:01"),
        new("OpenLoRA:Server:ShutdownGraceSeconds", "1"),
    ];
}
