using System.Buffers.Binary;
using System.Text;
using OpenLoRA.Gguf.Format;

namespace OpenLoRA.Gguf.Writing;

/// <summary>Little-endian GGUF primitives and metadata values onto a stream.</summary>
internal sealed class GgufBinaryWriter(Stream stream)
{
    private readonly byte[] _scratch = new byte[8];

    public long Position { get; private set; }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_scratch, value);
        WriteBytes(_scratch.AsSpan(0, 4));
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_scratch, value);
        WriteBytes(_scratch.AsSpan(0, 8));
    }

    public void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteUInt64((ulong)bytes.Length);
        WriteBytes(bytes);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        Position += bytes.Length;
    }

    /// <summary>Accounts for bytes written to the stream directly (tensor data).</summary>
    public void Advance(long count) => Position += count;

    public void PadTo(uint alignment)
    {
        var padding = (int)((alignment - (Position % alignment)) % alignment);
        Span<byte> zeros = stackalloc byte[Math.Min(padding, 256)];
        zeros.Clear();
        while (padding > 0)
        {
            var count = Math.Min(padding, zeros.Length);
            WriteBytes(zeros[..count]);
            padding -= count;
        }
    }

    public void WriteValue(GgufValue value)
    {
        WriteUInt32((uint)value.Type);
        if (!value.IsArray)
        {
            WriteScalar(value.Type, value.Payload);
            return;
        }

        var elementType = value.ElementType!.Value;
        var items = (Array)value.Payload;
        WriteUInt32((uint)elementType);
        WriteUInt64((ulong)items.Length);
        foreach (var item in items)
        {
            WriteScalar(elementType, item!);
        }
    }

    private void WriteScalar(GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: WriteBytes([(byte)value]); break;
            case GgufValueType.Int8: WriteBytes([(byte)(sbyte)value]); break;
            case GgufValueType.UInt16: WriteSmall(2, s => BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)value)); break;
            case GgufValueType.Int16: WriteSmall(2, s => BinaryPrimitives.WriteInt16LittleEndian(s, (short)value)); break;
            case GgufValueType.UInt32: WriteUInt32((uint)value); break;
            case GgufValueType.Int32: WriteUInt32((uint)(int)value); break;
            case GgufValueType.Float32: WriteUInt32(BitConverter.SingleToUInt32Bits((float)value)); break;
            case GgufValueType.Bool: WriteBytes([(bool)value ? (byte)1 : (byte)0]); break;
            case GgufValueType.String: WriteString((string)value); break;
            case GgufValueType.UInt64: WriteUInt64((ulong)value); break;
            case GgufValueType.Int64: WriteUInt64((ulong)(long)value); break;
            case GgufValueType.Float64: WriteUInt64(BitConverter.DoubleToUInt64Bits((double)value)); break;
            default: throw new InvalidOperationException($"cannot write a {GgufValueTypes.Name(type)} scalar");
        }
    }

    private void WriteSmall(int count, SpanAction write)
    {
        write(_scratch.AsSpan(0, count));
        WriteBytes(_scratch.AsSpan(0, count));
    }

    private delegate void SpanAction(Span<byte> destination);
}
