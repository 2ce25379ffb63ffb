namespace OpenLoRA.Server.Endpoints.Chain.Contracts;

/// <summary>
/// <c>GET /v1/chain</c>: the chain this server commits to. <c>chain_id</c> is the one every publisher message names
/// (0 when the chain is off); the addresses are null until the contracts are known (off, or still deploying).
/// </summary>
internal sealed record ChainResponse(
    string Object,
    string Mode,
    ulong ChainId,
    string? TokenAddress,
    string? RegistryAddress,
    string? EscrowAddress);
