using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLoRA.Chain.Messages;

[Function("earningsOf", "uint256")]
internal sealed class EarningsOfFunction : FunctionMessage
{
    [Parameter("address", "payee", 1)]
    public string Payee { get; set; } = "";
}
