using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace OpenLoRA.Gguf.Numerics;

/// <summary>Little-endian F32, F16 and BF16 elements to and from floats; BF16 rounds like ggml (nearest even).</summary>
internal static class TensorElementCodec
{
    public static bool IsSupported(GgmlType type) => type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16;

    public static int ElementBytes(GgmlType type) => type switch
    {
        GgmlType.F32 => 4,
        GgmlType.F16 or GgmlType.BF16 => 2,
        _ => throw new NotSupportedException($"{type} elements cannot be converted to or from floats"),
    };

    public static void Decode(GgmlType type, ReadOnlySpan<byte> source, Span<float> destination)
    {
        // GGUF is little-endian: on such a machine F32 is a copy and F16 a vectorized widening.
        if (BitConverter.IsLittleEndian && type is GgmlType.F32)
        {
            MemoryMarshal.Cast<byte, float>(source)[..destination.Length].CopyTo(destination);
            return;
        }

        if (BitConverter.IsLittleEndian && type is GgmlType.F16)
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source)[..destination.Length], destination);
            return;
        }

        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                }

                break;
            case GgmlType.F16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(2 * i)..]);
                }

                break;
            case GgmlType.BF16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]));
                }

                break;
            default:
                throw new NotSupportedException($"{type} elements cannot be converted to floats");
        }
    }

    public static void Encode(GgmlType type, ReadOnlySpan<float> source, Span<byte> destination)
    {
        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], source[i]);
                }

                break;
            case GgmlType.F16:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(destination[(2 * i)..], (Half)source[i]);
                }

                break;
            case GgmlType.BF16:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], SingleToBFloat16(source[i]));
                }

                break;
            default:
                throw new NotSupportedException($"floats cannot be converted to {type} elements");
        }
    }

    public static float BFloat16ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>Round to nearest even, NaN kept quiet: ggml_compute_fp32_to_bf16.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7fffffff) > 0x7f800000)
        {
            return (ushort)((bits >> 16) | 64);
        }

        return (ushort)((bits + (0x7fff + ((bits >> 16) & 1))) >> 16);
    }
}
