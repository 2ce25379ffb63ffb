using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace OpenLoRA.Chain.Clients;

/// <summary>
/// The one place that sends a contract transaction or query: it maps reverts to <see cref="ContractRevertException"/>
/// and refuses receipts with status 0, so every client method has the same failure behaviour.
/// </summary>
internal static class ContractCalls
{
    public static async Task<ChainTransaction> SendAsync<TFunction>(
        IWeb3 web3, string contractAddress, TFunction function, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        TransactionReceipt receipt;
        try
        {
            receipt = await web3.Eth.GetContractHandler(contractAddress)
                .SendRequestAndWaitForReceiptAsync(function, cancellationToken).ConfigureAwait(false);
        }
        catch (SmartContractCustomErrorRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }
        catch (SmartContractRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }

        return ToChainTransaction(receipt);
    }

    /// <summary>
    /// Sends through <paramref name="nonces"/> (signed with its next nonce, alone among the key's transactions) and
    /// waits for the receipt outside its lock, at most <paramref name="receiptTimeout"/>: a transaction the node
    /// dropped (a restart, a reset) then fails with a <see cref="TimeoutException"/> instead of waiting forever.
    /// </summary>
    public static async Task<ChainTransaction> SendAsync<TFunction>(
        IWeb3 web3, string contractAddress, TFunction function, NonceOwner nonces, TimeSpan receiptTimeout, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        string hash;
        try
        {
            hash = await nonces.SendAsync(
                async (nonce, _) =>
                {
                    function.Nonce = nonce;
                    return await web3.Eth.GetContractHandler(contractAddress).SendRequestAsync(function).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SmartContractCustomErrorRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }
        catch (SmartContractRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(receiptTimeout);
        try
        {
            var receipt = await web3.TransactionReceiptPolling.PollForReceiptAsync(hash, timeout.Token).ConfigureAwait(false);
            return ToChainTransaction(receipt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            nonces.Invalidate();
            throw new TimeoutException($"Transaction {hash} was not mined within {receiptTimeout}.");
        }
    }

    public static async Task<TReturn> QueryAsync<TFunction, TReturn>(
        IWeb3 web3, string contractAddress, TFunction function, BlockParameter? block = null)
        where TFunction : FunctionMessage, new()
    {
        try
        {
            return await web3.Eth.GetContractQueryHandler<TFunction>()
                .QueryAsync<TReturn>(contractAddress, function, block).ConfigureAwait(false);
        }
        catch (SmartContractCustomErrorRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }
        catch (SmartContractRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }
    }

    public static async Task<TOutput> QueryObjectAsync<TFunction, TOutput>(
        IWeb3 web3, string contractAddress, TFunction function, BlockParameter? block = null)
        where TFunction : FunctionMessage, new()
        where TOutput : IFunctionOutputDTO, new()
    {
        try
        {
            return await web3.Eth.GetContractQueryHandler<TFunction>()
                .QueryDeserializingToObjectAsync<TOutput>(function, contractAddress, block).ConfigureAwait(false);
        }
        catch (SmartContractCustomErrorRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }
        catch (SmartContractRevertException ex)
        {
            throw RevertDecoder.Decode(ex);
        }
    }

    public static ChainTransaction ToChainTransaction(TransactionReceipt receipt)
    {
        var blockNumber = (ulong)receipt.BlockNumber.Value;
        if (receipt.Status is null || receipt.Status.Value != 1)
        {
            throw new ChainTransactionFailedException(receipt.TransactionHash, blockNumber);
        }

        return new ChainTransaction(receipt.TransactionHash, blockNumber);
    }
}
