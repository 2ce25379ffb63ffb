using OpenLoRA.Attribution.Scoring;

namespace OpenLoRA.Attribution;

/// <summary>Bound from the "Attribution" configuration section; validated on start.</summary>
public sealed class AttributionOptions
{
    public const string SectionName = "Attribution";

    public int MinSpanTokens { get; set; } = 6;

    public int MaxSpanTokens { get; set; } = 1024;

    public int MaxOccurrencesPerSpan { get; set; } = 64;

    /// <summary>Where Datanet index files live (named by root); null when no Datanet is served.</summary>
    public string? IndexDirectory { get; set; }

    /// <summary>Trace-signing key as hex. Prefer <see cref="SignerKeystorePath"/> outside development.</summary>
    public string? SignerPrivateKey { get; set; }

    /// <summary>Web3 Secret Storage keystore file holding the trace-signing key.</summary>
    public string? SignerKeystorePath { get; set; }

    public string? SignerKeystorePassword { get; set; }

    public AttributionParameters ToParameters() => new()
    {
        MinSpanTokens = MinSpanTokens,
        MaxSpanTokens = MaxSpanTokens,
        MaxOccurrencesPerSpan = MaxOccurrencesPerSpan,
    };

    /// <summary>Options hold secrets; never print them.</summary>
    public override string ToString() => $"AttributionOptions(MinSpanTokens={MinSpanTokens}, MaxOccurrencesPerSpan={MaxOccurrencesPerSpan})";
}
