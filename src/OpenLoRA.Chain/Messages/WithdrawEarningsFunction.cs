using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("withdrawEarnings")]
internal sealed class WithdrawEarningsFunction : FunctionMessage
{
}
