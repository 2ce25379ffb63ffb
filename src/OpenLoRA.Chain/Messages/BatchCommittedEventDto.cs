using Nethereum.ABI.FunctionEncoding.Attributes;

namespace OpenLoRA.Chain.Messages;

[Event("BatchCommitted")]
internal sealed class BatchCommittedEventDto : IEventDTO
{
    [Parameter("uint64", "batchId", 1, true)]
    public ulong BatchId { get; set; }

    [Parameter("bytes32", "root", 2, true)]
    public byte[] Root { get; set; } = [];

    [Parameter("uint32", "count", 3, false)]
    public uint Count { get; set; }

    [Parameter("bytes32", "manifestHash", 4, false)]
    public byte[] ManifestHash { get; set; } = [];

    [Parameter("string", "uri", 5, false)]
    public string Uri { get; set; } = "";

    [Parameter("address", "submitter", 6, true)]
    public string Submitter { get; set; } = "";
}
