using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using OpenLoRA.Chain.Contracts;

namespace OpenLoRA.Chain.Messages;

internal sealed class InferenceEscrowDeployment() : ContractDeploymentMessage(ContractArtifacts.InferenceEscrow.Bytecode)
{
    [Parameter("address", "token_", 1)]
    public string Token { get; set; } = "";

    [Parameter("address", "operator_", 2)]
    public string Operator { get; set; } = "";

    [Parameter("uint64", "withdrawalDelay_", 3)]
    public ulong WithdrawalDelay { get; set; }
}
