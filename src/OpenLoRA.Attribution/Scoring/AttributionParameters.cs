namespace OpenLoRA.Attribution.Scoring;

/// <summary>The knobs of span-match attribution; recorded in every trace so a verifier can rerun it.</summary>
public sealed record AttributionParameters
{
    /// <summary>Shortest span credited; below ~6 tokens matches are mostly common phrases, not provenance (OLMoTrace uses a similar floor).</summary>
    public int MinSpanTokens { get; init; } = 6;

    /// <summary>Longest match followed; bounds the per-position search cost when a completion copies a long passage.</summary>
    public int MaxSpanTokens { get; init; } = 1024;

    /// <summary>Occurrences enumerated per span to find its records (first ones in suffix-array order); the count itself is exact.</summary>
    public int MaxOccurrencesPerSpan { get; init; } = 64;

    public void Validate()
    {
        if (MinSpanTokens < 1) throw new ArgumentOutOfRangeException(nameof(MinSpanTokens), MinSpanTokens, "Must be at least 1.");
        if (MaxSpanTokens < MinSpanTokens)
            throw new ArgumentOutOfRangeException(nameof(MaxSpanTokens), MaxSpanTokens, "Must be at least MinSpanTokens.");
        if (MaxSpanTokens > 65_536) throw new ArgumentOutOfRangeException(nameof(MaxSpanTokens), MaxSpanTokens, "Must be at most 65536.");
        if (MaxOccurrencesPerSpan < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxOccurrencesPerSpan), MaxOccurrencesPerSpan, "Must be at least 1.");
    }
}
