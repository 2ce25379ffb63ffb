namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// What a PEFT conversion needs from the base model: tensor shapes and the head counts of the q/k permutation.
/// Kept for callers that cache it; <see cref="BaseModelShapes"/> now carries the head counts itself.
/// </summary>
public sealed record PeftBaseModel(BaseModelShapes Shapes, int Heads, int KvHeads)
{
    /// <summary>Reads the base model's GGUF header (not its weights).</summary>
    public static PeftBaseModel FromFile(string baseModelPath) => FromShapes(BaseModelShapes.FromFile(baseModelPath));

    public static PeftBaseModel FromShapes(BaseModelShapes shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        return new PeftBaseModel(shapes, shapes.HeadCount, shapes.KvHeadCount);
    }
}
