namespace OpenLoRA.Engine.Models;

/// <summary>A validated LoRA adapter. Identity is <see cref="Sha256"/>; <see cref="Name"/> is an alias.</summary>
public sealed record AdapterInfo(
    string Name,
    string Sha256,
    string BaseModel,
    string Path,
    int Rank,
    float Alpha,
    IReadOnlyList<string> Targets,
    long SizeBytes,
    DateTimeOffset Created);
