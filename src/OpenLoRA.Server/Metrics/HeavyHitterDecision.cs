namespace OpenLoRA.Server.Metrics;

/// <summary>What one observation decided: the label to record it under, and the key that just lost its label, if any.</summary>
internal readonly record struct HeavyHitterDecision(string Label, string? Demoted);
