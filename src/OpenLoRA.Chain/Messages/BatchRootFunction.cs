using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("batchRoot", "bytes32")]
internal sealed class BatchRootFunction : FunctionMessage
{
    [Parameter("uint64", "batchId", 1)]
    public ulong BatchId { get; set; }
}
