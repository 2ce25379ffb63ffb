using OpenLoRA.Attribution.Scoring;

namespace OpenLoRA.Server.Attribution;

/// <summary>An attribution result and the root of the Datanet index it was computed over (null without a Datanet).</summary>
internal sealed record Attributed(AttributionResult Result, string? DatanetRoot);
