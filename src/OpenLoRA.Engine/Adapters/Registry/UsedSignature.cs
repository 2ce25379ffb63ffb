namespace OpenLoRA.Engine.Adapters.Registry;

/// <summary>A publisher signature being spent; its record may be purged once <paramref name="Expires"/> has passed.</summary>
public sealed record UsedSignature(string Id, DateTimeOffset Expires);
