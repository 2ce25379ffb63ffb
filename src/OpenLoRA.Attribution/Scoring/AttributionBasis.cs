namespace OpenLoRA.Attribution.Scoring;

/// <summary>Where the contributor shares of a result came from.</summary>
public enum AttributionBasis
{
    /// <summary>No spans matched and no static shares were given: nothing to pay to contributors.</summary>
    None = 0,

    /// <summary>Computed from matched spans.</summary>
    Spans = 1,

    /// <summary>No spans matched; the adapter's static shares were used.</summary>
    StaticShares = 2,
}
