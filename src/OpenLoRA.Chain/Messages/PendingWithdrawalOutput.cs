using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace OpenLoRA.Chain.Messages;

[FunctionOutput]
internal sealed class PendingWithdrawalOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }

    [Parameter("uint64", "availableAt", 2)]
    public ulong AvailableAt { get; set; }
}
