namespace OpenLoRA.Gguf.TestModels;

/// <summary>A deliberately broken adapter for the tiny model, and a fragment of the reason the validator must give.</summary>
public sealed record BadAdapterFile(string Name, string Path, string ExpectedReason);
