using Nethereum.Contracts;
using OpenLoRA.Chain.Contracts;

namespace OpenLoRA.Chain.Messages;

internal sealed class DevOpenTokenDeployment() : ContractDeploymentMessage(ContractArtifacts.DevOpenToken.Bytecode);
