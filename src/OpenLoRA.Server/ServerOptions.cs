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

    /// <summary>
    /// Deadline of one generation, from arrival to the last token, queueing included. Past it the sequence is
    /// cancelled (its KV slot and adapter pin are freed at the next step) and the client gets 504
    /// <c>deadline_exceeded</c>. Ten minutes outlasts any honest request on the CPU backend (4096 tokens at the
    /// bench model's 14 ms/token is about a minute) while bounding what a stuck client can hold.
    /// </summary>
    [Range(1, 24 * 3600)]
    public int RequestTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// After SIGTERM: how long generations in flight may still run before they are cancelled (each stream then ends
    /// with an error event, charged for what it delivered). New requests are refused from the signal on. The host
    /// waits this plus <see cref="ShutdownMarginSeconds"/> in all, then traces are sealed and the outbox written.
    /// 25 s fits the 30 s a Kubernetes pod gets by default.
    /// </summary>
    [Range(0, 3600)]
    public int ShutdownGraceSeconds { get; set; } = 25;

    /// <summary>Time after the grace period for cancelled streams to write their last event and be charged.</summary>
    public const int ShutdownMarginSeconds = 5;
}
