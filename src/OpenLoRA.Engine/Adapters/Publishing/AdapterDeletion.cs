namespace OpenLoRA.Engine.Adapters.Publishing;

/// <param name="IdOrName">sha256 (hex) or the adapter's current name.</param>
public sealed record AdapterDeletion(string IdOrName, string Publisher, string SignatureId, DateTimeOffset SignatureExpires);
