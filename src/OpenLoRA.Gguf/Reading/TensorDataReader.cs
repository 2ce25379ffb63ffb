using OpenLoRA.Gguf.Numerics;

namespace OpenLoRA.Gguf.Reading;

/// <summary>Streams a tensor's elements as floats in fixed-size chunks, so any size reads in constant memory.</summary>
internal static class TensorDataReader
{
    private const int ChunkElements = 16 * 1024;

    public static void Read(Stream stream, long position, GgufTensorInfo tensor, TensorChunkVisitor visit)
    {
        if (!TensorElementCodec.IsSupported(tensor.Type))
        {
            throw new NotSupportedException($"tensor '{tensor.Name}' has type {tensor.Type}; only F32, F16 and BF16 can be read as floats");
        }

        var elementBytes = TensorElementCodec.ElementBytes(tensor.Type);
        var bytes = new byte[ChunkElements * elementBytes];
        var values = new float[ChunkElements];
        stream.Position = position;
        for (long first = 0; first < tensor.ElementCount; first += ChunkElements)
        {
            var count = (int)Math.Min(ChunkElements, tensor.ElementCount - first);
            var span = bytes.AsSpan(0, count * elementBytes);
            try
            {
                stream.ReadExactly(span);
            }
            catch (EndOfStreamException ex)
            {
                throw new GgufFormatException($"tensor '{tensor.Name}' data ends early at element {first}", ex);
            }

            TensorElementCodec.Decode(tensor.Type, span, values.AsSpan(0, count));
            if (!visit(values.AsSpan(0, count), first))
            {
                return;
            }
        }
    }
}
