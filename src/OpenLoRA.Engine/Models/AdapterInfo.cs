namespace OpenLoRA.Engine.Models;

/// <summary>A validated LoRA adapter. Identity is <see cref="Sha256"/> (of the stored GGUF file); <see cref="Name"/> is an alias.</summary>
public sealed record AdapterInfo(
    string Name,
    string Sha256,
    string BaseModel,
    string Path,
    int Rank,
    float Alpha,
    IReadOnlyList<string> Targets,
    long SizeBytes,
    DateTimeOffset Created)
{
    public string? Description { get; init; }

    /// <summary>Publisher-set price in OPEN per 1,000 prompt tokens.</summary>
    public decimal PriceInputPer1K { get; init; }

    /// <summary>Publisher-set price in OPEN per 1,000 completion tokens.</summary>
    public decimal PriceOutputPer1K { get; init; }

    /// <summary>Lower-case 0x address that signed the upload; null for adapters from the configured folder.</summary>
    public string? Publisher { get; init; }

    /// <summary>"folder" (from configuration) or "upload" (published through the API).</summary>
    public string Source { get; init; } = "folder";

    /// <summary>"gguf" or "peft" (converted to GGUF on upload).</summary>
    public string Format { get; init; } = "gguf";
}
