namespace OpenLoRA.Gguf;

/// <summary>Receives consecutive elements of a tensor starting at <paramref name="firstIndex"/>; returns false to stop.</summary>
public delegate bool TensorChunkVisitor(ReadOnlySpan<float> values, long firstIndex);
