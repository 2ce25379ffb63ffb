using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("withdraw")]
internal sealed class WithdrawFunction : FunctionMessage
{
}
