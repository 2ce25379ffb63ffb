using System.ComponentModel.DataAnnotations;

namespace OpenLoRA.Server;

/// <summary>Bound from configuration section <c>OpenLoRA:Server</c>.</summary>
internal sealed class ServerOptions
{
    public const string SectionName = "OpenLoRA:Server";

    /// <summary>Largest request body Kestrel accepts; larger bodies get 413. 4 MiB holds a full 128k-token prompt.</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Completion budget when a request names neither <c>max_tokens</c> nor <c>max_completion_tokens</c>.</summary>
    [Range(1, 1 << 20)]
    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>
    /// How far a publisher signature's timestamp may be from the server clock, either way. Five minutes tolerates
    /// ordinary clock skew and a slow upload, and bounds how long the replay record of a signature must be kept.
    /// </summary>
    [Range(1, 7 * 24 * 3600)]
    public int SignatureMaxAgeSeconds { get; set; } = 300;
}
