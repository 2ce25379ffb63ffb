namespace OpenLoRA.Engine.Models;

/// <summary>A base model the server keeps in memory.</summary>
public sealed record BaseModelInfo(string Name, string Path, string Sha256, int ContextSize, DateTimeOffset Created);
