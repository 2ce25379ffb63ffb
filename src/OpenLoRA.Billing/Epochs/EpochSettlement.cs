using System.Numerics;

namespace OpenLoRA.Billing.Epochs;

/// <summary>
/// A closed epoch, ready for <c>InferenceEscrow.settleEpoch(epoch, debitAccounts, debits, payees, credits,
/// manifestHash)</c>: <see cref="Debits"/> and <see cref="Credits"/> are sorted by address and both sum to
/// <see cref="Total"/>. <see cref="Manifest"/> is the canonical payout manifest and <see cref="ManifestHash"/> its
/// keccak256 (0x-prefixed hex).
/// </summary>
public sealed record EpochSettlement(
    long Epoch,
    IReadOnlyList<EpochAmount> Debits,
    IReadOnlyList<EpochAmount> Credits,
    IReadOnlyList<string> TraceIds,
    BigInteger Total,
    string Manifest,
    string ManifestHash,
    DateTimeOffset ClosedAt,
    string? SettledTxHash);
