using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("pendingWithdrawal", typeof(PendingWithdrawalOutput))]
internal sealed class PendingWithdrawalFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = "";
}
