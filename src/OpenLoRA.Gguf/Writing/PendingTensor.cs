namespace OpenLoRA.Gguf.Writing;

/// <summary>A tensor declared to <see cref="GgufWriter"/>: its header fields now, its data when the file is written.</summary>
internal sealed record PendingTensor(
    string Name,
    GgmlType Type,
    long[] Dimensions,
    long ByteSize,
    Action<GgufTensorDataWriter> WriteData);
