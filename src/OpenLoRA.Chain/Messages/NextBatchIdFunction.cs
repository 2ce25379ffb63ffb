using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("nextBatchId", "uint64")]
internal sealed class NextBatchIdFunction : FunctionMessage
{
}
