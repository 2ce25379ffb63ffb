namespace OpenLoRA.Gguf.TestModels;

/// <summary>Sizes of the architecture test models (docs/MODELS.md "Architecture test models").</summary>
public enum ArchitectureModelSize
{
    /// <summary>256 wide (every row a whole K-quant block), FFN 512, 2 layers (gemma3: 6), the 303-token vocabulary, f16.</summary>
    Small,

    /// <summary>About the bench llama's 134M: 768 wide, 12 layers, FFN 2048, 32,000 tokens, f16.</summary>
    Bench,
}
