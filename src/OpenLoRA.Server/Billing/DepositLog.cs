using OpenLoRA.Chain;

namespace OpenLoRA.Server.Billing;

/// <summary>The deposit watcher's and audit's log messages (event ids in <see cref="ChainLogEvents"/>).</summary>
internal static partial class DepositLog
{
    [LoggerMessage(EventId = ChainLogEvents.DepositsMissingOnChain, Level = LogLevel.Error,
        Message = "The chain contradicts the ledger: {Missing} of {Credited} credited deposits ({Total} OPEN) are not on the chain (a reset or rollback). Paid requests from {AccountCount} accounts are refused: {Accounts}")]
    public static partial void MissingOnChain(ILogger logger, int missing, int credited, string total, int accountCount, string accounts);

    [LoggerMessage(EventId = ChainLogEvents.DepositsAuditFailed, Level = LogLevel.Warning,
        Message = "Checking the ledger's deposits against the chain failed; retrying in {Interval}")]
    public static partial void AuditFailed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(EventId = ChainLogEvents.DepositsPollFailed, Level = LogLevel.Warning,
        Message = "Reading escrow deposits failed; retrying in {Interval}")]
    public static partial void PollFailed(ILogger logger, Exception exception, TimeSpan interval);
}
