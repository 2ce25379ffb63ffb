namespace OpenLoRA.Chain;

/// <summary>
/// Event ids of the chain's log messages, in one place so none is used twice: 3100–3199 the proof submitter,
/// 3200–3299 epoch settlement and the deposit watcher (logged by the server).
/// </summary>
public static class ChainLogEvents
{
    public const int SubmitterCycleFailed = 3100;
    public const int SubmitterChainLostBatches = 3101;
    public const int SubmitterNoRegistryCode = 3102;
    public const int SubmitterRootConflict = 3103;
    public const int SubmitterNonceGap = 3104;
    public const int SubmitterRecovered = 3105;
    public const int SubmitterChainViewUnavailable = 3106;

    public const int SettlementFailed = 3200;
    public const int SettlementChainLostEpoch = 3201;
    public const int SettlementLedgerBehind = 3202;
    public const int SettlementRejected = 3204;
    public const int SettlementNoEscrowCode = 3205;
    public const int SettlementSettled = 3203;
    public const int DepositsMissingOnChain = 3210;
    public const int DepositsAuditFailed = 3211;
    public const int DepositsPollFailed = 3212;
}
