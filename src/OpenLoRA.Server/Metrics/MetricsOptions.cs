using System.ComponentModel.DataAnnotations;

namespace OpenLoRA.Server.Metrics;

/// <summary>Bound from configuration section <c>OpenLoRA:Server:Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "OpenLoRA:Server:Metrics";

    /// <summary>
    /// Adapters that get their own <c>adapter</c> label on the per-adapter series; the rest share <c>(other)</c>. With
    /// thousands of adapters one series each would swamp Prometheus, so the label set is capped at this + 1.
    /// </summary>
    [Range(1, 1000)]
    public int TopAdapters { get; set; } = 20;
}
