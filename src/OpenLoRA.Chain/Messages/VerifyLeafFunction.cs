using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("verifyLeaf", "bool")]
internal sealed class VerifyLeafFunction : FunctionMessage
{
    [Parameter("uint64", "batchId", 1)]
    public ulong BatchId { get; set; }

    [Parameter("bytes32[]", "proof", 2)]
    public List<byte[]> Proof { get; set; } = [];

    [Parameter("bytes32", "leaf", 3)]
    public byte[] Leaf { get; set; } = [];
}
