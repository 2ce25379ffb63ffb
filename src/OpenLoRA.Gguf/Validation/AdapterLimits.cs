namespace OpenLoRA.Gguf.Validation;

internal static class AdapterLimits
{
    /// <summary>
    /// Largest magnitude accepted for a LoRA weight or alpha. Trained adapters stay far below 1 (PEFT initialises
    /// A with Kaiming-uniform and B with zeros); 1e4 only refuses values that are clearly corrupt, such as a flipped
    /// exponent bit, which otherwise turn every logit into NaN or ±Inf (LLAMA-NOTES.md).
    /// </summary>
    public const float MaxAbsoluteValue = 1e4f;
}
