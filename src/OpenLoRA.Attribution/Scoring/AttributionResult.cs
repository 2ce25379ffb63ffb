namespace OpenLoRA.Attribution.Scoring;

/// <summary>The outcome of attributing one completion.</summary>
/// <param name="Method">Algorithm name and version, e.g. "span-match-v1".</param>
/// <param name="Parameters">The parameters it ran with.</param>
/// <param name="Basis">Whether the shares come from spans, static shares, or nothing.</param>
/// <param name="Spans">Maximal spans in order of their start in the generated tokens.</param>
/// <param name="Contributors">Shares summing to 1,000,000 ppm (or empty), largest first, ties by address.</param>
public sealed record AttributionResult(
    string Method,
    AttributionParameters Parameters,
    AttributionBasis Basis,
    IReadOnlyList<AttributedSpan> Spans,
    IReadOnlyList<ContributorShare> Contributors);
