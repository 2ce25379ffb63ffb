using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("batchInfo", typeof(BatchInfoOutput))]
internal sealed class BatchInfoFunction : FunctionMessage
{
    [Parameter("uint64", "batchId", 1)]
    public ulong BatchId { get; set; }
}
