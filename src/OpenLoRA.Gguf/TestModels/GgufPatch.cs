using System.Buffers.Binary;
using System.Text;

namespace OpenLoRA.Gguf.TestModels;

/// <summary>Byte positions of tensor-info fields, for writing files no well-behaved writer would produce.</summary>
internal static class GgufPatch
{
    public static long DimensionCountPosition(GgufTensorInfo tensor) =>
        tensor.InfoPosition + 8 + Encoding.UTF8.GetByteCount(tensor.Name);

    public static long DimensionPosition(GgufTensorInfo tensor, int index) => DimensionCountPosition(tensor) + 4 + (8 * index);

    public static long TypePosition(GgufTensorInfo tensor) => DimensionPosition(tensor, tensor.Dimensions.Count);

    public static long OffsetPosition(GgufTensorInfo tensor) => TypePosition(tensor) + 4;

    public static byte[] WriteUInt32(byte[] bytes, long position, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)position), value);
        return bytes;
    }

    public static byte[] WriteUInt64(byte[] bytes, long position, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)position), value);
        return bytes;
    }

    public static ulong ReadUInt64(byte[] bytes, long position) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)position));

    /// <summary>Position of the first occurrence of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static int Find(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text));
}
