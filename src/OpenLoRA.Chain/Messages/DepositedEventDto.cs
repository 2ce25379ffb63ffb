using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace OpenLoRA.Chain.Messages;

[Event("Deposited")]
internal sealed class DepositedEventDto : IEventDTO
{
    [Parameter("address", "account", 1, true)]
    public string Account { get; set; } = "";

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "balance", 3, false)]
    public BigInteger Balance { get; set; }
}
