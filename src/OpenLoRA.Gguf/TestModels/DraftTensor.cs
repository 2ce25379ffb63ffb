namespace OpenLoRA.Gguf.TestModels;

/// <summary>A tensor of an <see cref="AdapterDraft"/>: float values, or raw bytes for types floats cannot express.</summary>
internal sealed record DraftTensor(string Name, GgmlType Type, long[] Dimensions, float[] Values, byte[]? RawBytes = null);
