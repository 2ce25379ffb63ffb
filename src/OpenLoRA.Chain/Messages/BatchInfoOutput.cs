using Nethereum.ABI.FunctionEncoding.Attributes;

namespace OpenLoRA.Chain.Messages;

[FunctionOutput]
internal sealed class BatchInfoOutput : IFunctionOutputDTO
{
    [Parameter("bytes32", "root", 1)]
    public byte[] Root { get; set; } = [];

    [Parameter("uint32", "count", 2)]
    public uint Count { get; set; }

    [Parameter("bytes32", "manifestHash", 3)]
    public byte[] ManifestHash { get; set; } = [];

    [Parameter("uint64", "committedBlock", 4)]
    public ulong CommittedBlock { get; set; }
}
