using OpenLoRA.Gguf.Numerics;

namespace OpenLoRA.Gguf;

/// <summary>
/// Receives one tensor's data while <see cref="GgufWriter"/> streams the file. Floats are encoded to the tensor's
/// type (F32, F16 or BF16); raw bytes go in unchanged. The tensor must be filled exactly.
/// </summary>
public sealed class GgufTensorDataWriter
{
    private const int ChunkElements = 16 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _scratch;

    internal GgufTensorDataWriter(Stream stream, string name, GgmlType type, long byteSize, byte[] scratch)
    {
        _stream = stream;
        Name = name;
        Type = type;
        BytesRemaining = byteSize;
        _scratch = scratch;
    }

    public string Name { get; }

    public GgmlType Type { get; }

    public long BytesRemaining { get; private set; }

    public void WriteValues(ReadOnlySpan<float> values)
    {
        var elementBytes = TensorElementCodec.ElementBytes(Type);
        while (!values.IsEmpty)
        {
            var count = Math.Min(values.Length, Math.Min(ChunkElements, _scratch.Length / elementBytes));
            var bytes = _scratch.AsSpan(0, count * elementBytes);
            TensorElementCodec.Encode(Type, values[..count], bytes);
            WriteBytes(bytes);
            values = values[count..];
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > BytesRemaining)
        {
            throw new InvalidOperationException(
                $"tensor '{Name}' got {bytes.Length} more bytes but has only {BytesRemaining} left");
        }

        _stream.Write(bytes);
        BytesRemaining -= bytes.Length;
    }
}
