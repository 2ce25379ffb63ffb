namespace OpenLoRA.Chain.Clients;

/// <summary>
/// A transaction was mined with status 0. Gas estimation normally surfaces reverts first as
/// <see cref="ContractRevertException"/>; this covers state changing between estimation and mining.
/// </summary>
public sealed class ChainTransactionFailedException(string transactionHash, ulong blockNumber)
    : Exception($"Transaction {transactionHash} was mined in block {blockNumber} but reverted.")
{
    public string TransactionHash { get; } = transactionHash;

    public ulong BlockNumber { get; } = blockNumber;
}
