using System.ComponentModel.DataAnnotations;

namespace OpenLoRA.Server.Attribution;

/// <summary>Bound from <c>OpenLoRA:Attribution</c> (the same section also holds the library's AttributionOptions).</summary>
internal sealed class AttributionServerOptions
{
    public const string SectionName = "OpenLoRA:Attribution";

    /// <summary>A batch is sealed as soon as this many traces wait.</summary>
    [Range(1, 100_000)]
    public int BatchMaxTraces { get; set; } = 256;

    /// <summary>…or when the oldest waiting trace is this old, so a quiet server still commits within this time.</summary>
    [Range(1, 86_400)]
    public int BatchIntervalSeconds { get; set; } = 30;

    /// <summary>Largest Datanet JSONL upload, bytes.</summary>
    [Range(1, 4L << 30)]
    public long MaxDatanetBytes { get; set; } = 64L << 20;

    /// <summary>
    /// With no signer key configured (<c>SignerPrivateKey</c> or <c>SignerKeystorePath</c>), generate one into the
    /// data directory (<c>attribution-signer.key</c>, owner-only) on first start. For development; turn it off in
    /// production so a missing key stops the server instead of signing with a fresh identity.
    /// </summary>
    public bool GenerateDevelopmentSigner { get; set; } = true;
}
