namespace OpenLoRA.Chain.Clients;

/// <summary>
/// One epoch's settlement for InferenceEscrow.settleEpoch: the debits must add up to exactly the credits, and
/// <see cref="Epoch"/> must be the escrow's nextEpoch.
/// </summary>
public sealed record EpochSettlement(
    ulong Epoch,
    IReadOnlyList<AccountAmount> Debits,
    IReadOnlyList<AccountAmount> Credits,
    byte[] ManifestHash);
