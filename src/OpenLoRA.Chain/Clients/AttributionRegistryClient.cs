using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using OpenLoRA.Chain.Messages;

namespace OpenLoRA.Chain.Clients;

/// <summary>
/// Typed access to AttributionRegistry. Transactions are sent from the account the <see cref="IWeb3"/> was built
/// with and awaited to their receipt; reverts surface as <see cref="ContractRevertException"/>.
/// </summary>
public sealed class AttributionRegistryClient
{
    private readonly IWeb3 _web3;

    public AttributionRegistryClient(IWeb3 web3, string address)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        _web3 = web3;
        Address = address;
    }

    public string Address { get; }

    public Task<ChainTransaction> CommitBatchAsync(
        ulong batchId, byte[] root, uint count, byte[] manifestHash, string uri, CancellationToken cancellationToken = default) =>
        ContractCalls.SendAsync(_web3, Address, CreateCommitBatch(batchId, root, count, manifestHash, uri), cancellationToken);

    public Task<ulong> NextBatchIdAsync(BlockParameter? block = null) =>
        ContractCalls.QueryAsync<NextBatchIdFunction, ulong>(_web3, Address, new NextBatchIdFunction(), block);

    /// <summary>The committed root of <paramref name="batchId"/>; reverts with UnknownBatch when not committed.</summary>
    public Task<byte[]> BatchRootAsync(ulong batchId) =>
        ContractCalls.QueryAsync<BatchRootFunction, byte[]>(_web3, Address, new BatchRootFunction { BatchId = batchId });

    public async Task<BatchInfo> BatchInfoAsync(ulong batchId)
    {
        var output = await ContractCalls.QueryObjectAsync<BatchInfoFunction, BatchInfoOutput>(
            _web3, Address, new BatchInfoFunction { BatchId = batchId }).ConfigureAwait(false);
        return new BatchInfo(batchId, output.Root, output.Count, output.ManifestHash, output.CommittedBlock);
    }

    /// <summary>Asks the contract whether <paramref name="leaf"/> is in the batch (sorted-pair Merkle proof).</summary>
    public Task<bool> VerifyLeafAsync(ulong batchId, IReadOnlyList<byte[]> proof, byte[] leaf) =>
        ContractCalls.QueryAsync<VerifyLeafFunction, bool>(
            _web3, Address, new VerifyLeafFunction { BatchId = batchId, Proof = [.. proof], Leaf = leaf });

    public Task<bool> IsSubmitterAsync(string account) =>
        ContractCalls.QueryAsync<IsSubmitterFunction, bool>(_web3, Address, new IsSubmitterFunction { Account = account });

    /// <summary>Owner only.</summary>
    public Task<ChainTransaction> AddSubmitterAsync(string account, CancellationToken cancellationToken = default) =>
        ContractCalls.SendAsync(_web3, Address, new AddSubmitterFunction { Account = account }, cancellationToken);

    /// <summary>Owner only.</summary>
    public Task<ChainTransaction> RemoveSubmitterAsync(string account, CancellationToken cancellationToken = default) =>
        ContractCalls.SendAsync(_web3, Address, new RemoveSubmitterFunction { Account = account }, cancellationToken);

    /// <summary>
    /// BatchCommitted logs between two blocks (inclusive; <paramref name="toBlock"/> null = latest), optionally only
    /// for one batch id (an indexed topic, so the node filters).
    /// </summary>
    public async Task<IReadOnlyList<BatchCommittedEvent>> GetBatchCommittedEventsAsync(
        ulong fromBlock, ulong? toBlock = null, ulong? batchId = null)
    {
        var handler = _web3.Eth.GetEvent<BatchCommittedEventDto>(Address);
        var from = new BlockParameter(new HexBigInteger(fromBlock));
        var to = toBlock is { } t ? new BlockParameter(new HexBigInteger(t)) : BlockParameter.CreateLatest();
        var filter = batchId is { } id
            ? handler.CreateFilterInput(id, from, to)
            : handler.CreateFilterInput(from, to);
        var logs = await handler.GetAllChangesAsync(filter).ConfigureAwait(false);
        return logs.Select(ToEvent).ToList();
    }

    /// <summary>The BatchCommitted logs in a receipt (normally exactly one).</summary>
    public static IReadOnlyList<BatchCommittedEvent> DecodeBatchCommitted(TransactionReceipt receipt) =>
        receipt.DecodeAllEvents<BatchCommittedEventDto>().Select(ToEvent).ToList();

    internal static CommitBatchFunction CreateCommitBatch(ulong batchId, byte[] root, uint count, byte[] manifestHash, string uri)
    {
        RequireBytes32(root, nameof(root));
        RequireBytes32(manifestHash, nameof(manifestHash));
        ArgumentNullException.ThrowIfNull(uri);
        return new CommitBatchFunction { BatchId = batchId, Root = root, Count = count, ManifestHash = manifestHash, Uri = uri };
    }

    private static BatchCommittedEvent ToEvent(EventLog<BatchCommittedEventDto> log) => new(
        log.Event.BatchId,
        log.Event.Root,
        log.Event.Count,
        log.Event.ManifestHash,
        log.Event.Uri,
        log.Event.Submitter,
        log.Log.TransactionHash,
        (ulong)log.Log.BlockNumber.Value);

    private static void RequireBytes32(byte[] value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != 32)
        {
            throw new ArgumentException($"Expected 32 bytes, got {value.Length}.", name);
        }
    }
}
