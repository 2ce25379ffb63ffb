using OpenLoRA.Chain;

namespace OpenLoRA.Server.Billing;

/// <summary>Epoch settlement's log messages (event ids in <see cref="ChainLogEvents"/>).</summary>
internal static partial class SettlementLog
{
    [LoggerMessage(EventId = ChainLogEvents.SettlementFailed, Level = LogLevel.Warning,
        Message = "Epoch settlement failed; retrying in {Interval}")]
    public static partial void Failed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(EventId = ChainLogEvents.SettlementRejected, Level = LogLevel.Error,
        Message = "The escrow refused the epoch settlement: {Reason}")]
    public static partial void Rejected(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = ChainLogEvents.SettlementChainLostEpoch, Level = LogLevel.Error,
        Message = "The chain contradicts the ledger: the escrow's nextEpoch is {From} but the ledger had epochs up to {Last} settled (a reset or rollback). Reopening them to settle again.")]
    public static partial void ChainLostEpochs(ILogger logger, long from, long last);

    [LoggerMessage(EventId = ChainLogEvents.SettlementLedgerBehind, Level = LogLevel.Error,
        Message = "The chain contradicts the ledger: the ledger's next epoch {Epoch} is behind the escrow's next epoch {Next}.")]
    public static partial void LedgerBehind(ILogger logger, long epoch, ulong next);

    [LoggerMessage(EventId = ChainLogEvents.SettlementSettled, Level = LogLevel.Information,
        Message = "Epoch {Epoch} settled on-chain: {Total} OPEN in tx {Tx}")]
    public static partial void Settled(ILogger logger, long epoch, string total, string tx);

    [LoggerMessage(EventId = ChainLogEvents.SettlementNoEscrowCode, Level = LogLevel.Error,
        Message = "The chain contradicts the ledger: the escrow {Escrow} has no code (a chain reset or a wrong address); nothing is settled until it is there.")]
    public static partial void NoEscrowCode(ILogger logger, string escrow);
}
