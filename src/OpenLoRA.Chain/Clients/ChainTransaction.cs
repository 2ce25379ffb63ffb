namespace OpenLoRA.Chain.Clients;

/// <summary>A mined, successful transaction.</summary>
public sealed record ChainTransaction(string TransactionHash, ulong BlockNumber);
