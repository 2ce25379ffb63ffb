namespace OpenLoRA.Cli.Commands;

/// <summary>What `openlora adapters upload` was given; exactly one of <see cref="File"/> and <see cref="Peft"/> is set.</summary>
internal sealed record UploadArguments(
    string Server,
    string? Key,
    string Name,
    string BaseModel,
    string? Description,
    string PriceIn,
    string PriceOut,
    string? File,
    string? Peft);
