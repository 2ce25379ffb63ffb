using Microsoft.Extensions.Logging;

namespace OpenLoRA.Chain.Submission;

/// <summary>The proof submitter's log messages (event ids in <see cref="ChainLogEvents"/>).</summary>
internal static partial class SubmitterLog
{
    [LoggerMessage(EventId = ChainLogEvents.SubmitterCycleFailed, Level = LogLevel.Warning,
        Message = "Proof submitter cycle failed ({Failures} in a row, backlog {Backlog}); retrying in {Delay}.")]
    public static partial void CycleFailed(ILogger logger, Exception exception, int failures, long backlog, TimeSpan delay);

    [LoggerMessage(EventId = ChainLogEvents.SubmitterChainLostBatches, Level = LogLevel.Error,
        Message = "The chain contradicts the outbox: its nextBatchId is {NextBatchId} but batches up to {Highest} were committed (a reset or rollback). {Reopened} batches are pending again and are being resubmitted in order.")]
    public static partial void ChainLostBatches(ILogger logger, ulong nextBatchId, ulong highest, int reopened);

    [LoggerMessage(EventId = ChainLogEvents.SubmitterNoRegistryCode, Level = LogLevel.Error,
        Message = "The chain contradicts the outbox: registry {Registry} has no code on chain {ChainId} ({Had}; a chain reset or a wrong address). {Reopened} batches are pending again; nothing is sent until the contract is there.")]
    public static partial void NoRegistryCode(ILogger logger, string registry, ulong chainId, string had, int reopened);

    [LoggerMessage(EventId = ChainLogEvents.SubmitterRootConflict, Level = LogLevel.Error,
        Message = "Batch {BatchId} is on-chain with a different root (tx {TransactionHash}); not committing ours.")]
    public static partial void RootConflict(ILogger logger, ulong batchId, string? transactionHash);

    [LoggerMessage(EventId = ChainLogEvents.SubmitterNonceGap, Level = LogLevel.Warning,
        Message = "commitBatch {BatchId} was signed with nonce {Nonce}, past the key's next nonce on the chain (it went back); signing it again.")]
    public static partial void NonceGap(ILogger logger, ulong batchId, ulong nonce);

    [LoggerMessage(EventId = ChainLogEvents.SubmitterRecovered, Level = LogLevel.Information,
        Message = "The batches the chain had lost are committed again (up to {Highest}).")]
    public static partial void Recovered(ILogger logger, ulong highest);

    [LoggerMessage(EventId = ChainLogEvents.SubmitterChainViewUnavailable, Level = LogLevel.Debug,
        Message = "Could not read the registry's nextBatchId for a status query; using the last one read.")]
    public static partial void ChainViewUnavailable(ILogger logger, Exception exception);
}
