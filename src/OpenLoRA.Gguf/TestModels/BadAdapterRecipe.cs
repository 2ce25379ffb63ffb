namespace OpenLoRA.Gguf.TestModels;

/// <summary>How one bad adapter is made from the good baseline: edit the draft, then optionally patch the bytes.</summary>
internal sealed record BadAdapterRecipe(
    string Name,
    string ExpectedReason,
    Action<AdapterDraft>? Edit = null,
    Func<byte[], GgufFile, byte[]>? Patch = null);
