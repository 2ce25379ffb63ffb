using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("settleEpoch")]
internal sealed class SettleEpochFunction : FunctionMessage
{
    [Parameter("uint64", "epoch", 1)]
    public ulong Epoch { get; set; }

    [Parameter("address[]", "debitAccounts", 2)]
    public List<string> DebitAccounts { get; set; } = [];

    [Parameter("uint256[]", "debits", 3)]
    public List<BigInteger> Debits { get; set; } = [];

    [Parameter("address[]", "payees", 4)]
    public List<string> Payees { get; set; } = [];

    [Parameter("uint256[]", "credits", 5)]
    public List<BigInteger> Credits { get; set; } = [];

    [Parameter("bytes32", "manifestHash", 6)]
    public byte[] ManifestHash { get; set; } = [];
}
