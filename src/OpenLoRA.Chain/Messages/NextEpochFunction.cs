using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("nextEpoch", "uint64")]
internal sealed class NextEpochFunction : FunctionMessage
{
}
