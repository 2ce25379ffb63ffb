namespace OpenLoRA.Gguf;

/// <summary>
/// One tensor as described in a GGUF header. <see cref="Dimensions"/> are in ggml order (ne0 first: the
/// contiguous, input dimension). <see cref="Offset"/> is relative to <see cref="GgufFile.DataOffset"/>.
/// </summary>
public sealed record GgufTensorInfo(
    string Name,
    IReadOnlyList<long> Dimensions,
    GgmlType Type,
    long Offset,
    long ByteSize,
    long ElementCount,
    long InfoPosition)
{
    /// <summary>"[64, 4]": dimensions in ggml order, for messages.</summary>
    public string ShapeText => $"[{string.Join(", ", Dimensions)}]";
}
