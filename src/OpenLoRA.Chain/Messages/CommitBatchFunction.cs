using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("commitBatch")]
internal sealed class CommitBatchFunction : FunctionMessage
{
    [Parameter("uint64", "batchId", 1)]
    public ulong BatchId { get; set; }

    [Parameter("bytes32", "root", 2)]
    public byte[] Root { get; set; } = [];

    [Parameter("uint32", "count", 3)]
    public uint Count { get; set; }

    [Parameter("bytes32", "manifestHash", 4)]
    public byte[] ManifestHash { get; set; } = [];

    [Parameter("string", "uri", 5)]
    public string Uri { get; set; } = "";
}
