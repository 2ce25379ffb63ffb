using Nethereum.Contracts;
using OpenLoRA.Chain.Contracts;

namespace OpenLoRA.Chain.Messages;

internal sealed class AttributionRegistryDeployment() : ContractDeploymentMessage(ContractArtifacts.AttributionRegistry.Bytecode);
