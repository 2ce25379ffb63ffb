using OpenLoRA.Attribution.Scoring;

namespace OpenLoRA.Attribution.Traces;

/// <summary>
/// The record of one inference's attribution, committed on-chain in Merkle batches. Hashes are 0x + 64 hex,
/// addresses 0x + 40 hex (the canonical encoding lowercases both). <see cref="Charge"/> is null until billing
/// fills it; the trace is signed only after that, so the charge is covered by the signature (see <see cref="TraceSigner"/>).
/// </summary>
public sealed record AttributionTrace
{
    /// <summary>128-bit random id, 32 lowercase hex chars (<see cref="TraceIds.New"/>).</summary>
    public required string TraceId { get; init; }

    public required long CreatedAtUnixMs { get; init; }

    /// <summary>sha256 of the base model file.</summary>
    public required string BaseModelHash { get; init; }

    /// <summary>sha256 of the adapter file: the adapter's identity.</summary>
    public required string AdapterSha256 { get; init; }

    /// <summary>Address of the adapter's publisher.</summary>
    public required string Publisher { get; init; }

    /// <summary>Root of the Datanet index used, or null when the adapter has none.</summary>
    public string? DatanetRoot { get; init; }

    /// <summary>sha256 of the request body (<see cref="TraceHashes.Request"/>).</summary>
    public required string RequestHash { get; init; }

    /// <summary>sha256 of the generated token ids (<see cref="TraceHashes.Tokens"/>).</summary>
    public required string GeneratedTokensHash { get; init; }

    public required int PromptTokens { get; init; }

    public required int CompletionTokens { get; init; }

    public required string Method { get; init; }

    public required AttributionParameters Parameters { get; init; }

    public required AttributionBasis Basis { get; init; }

    public required IReadOnlyList<AttributedSpan> Spans { get; init; }

    public required IReadOnlyList<ContributorShare> Contributors { get; init; }

    public TraceCharge? Charge { get; init; }
}
