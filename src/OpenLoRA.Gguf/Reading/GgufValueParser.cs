using System.Buffers.Binary;
using OpenLoRA.Gguf.Format;

namespace OpenLoRA.Gguf.Reading;

/// <summary>Reads one metadata value. Array counts are capped by the bytes left in the file before allocating.</summary>
internal static class GgufValueParser
{
    // Vocabularies of real models (up to ~256K tokens) are allocated at once; larger counts grow as they are read.
    private const int DirectAllocationLimit = 1 << 18;

    public static GgufValue Read(GgufByteReader reader, string key)
    {
        var what = $"the value of '{key}'";
        var type = ReadType(reader, key, what + " type");
        if (type != GgufValueType.Array)
        {
            return GgufValue.WrapScalar(type, ReadScalar(reader, type, what));
        }

        var elementType = ReadType(reader, key, what + " array element type");
        if (elementType == GgufValueType.Array)
        {
            throw new GgufFormatException($"'{key}' is an array of arrays, which GGUF readers do not support");
        }

        var count = reader.ReadUInt64(what + " array length");
        var minimum = (ulong)GgufValueTypes.MinimumSize(elementType);
        if (count > (ulong)reader.Remaining / minimum || count > (ulong)Array.MaxLength)
        {
            throw new GgufFormatException(
                $"'{key}' declares {count} {GgufValueTypes.Name(elementType)} elements, more than the {reader.Remaining} bytes left in the file can hold");
        }

        return GgufValue.WrapArray(elementType, ReadArray(reader, elementType, (int)count, what));
    }

    private static GgufValueType ReadType(GgufByteReader reader, string key, string what)
    {
        var position = reader.Position;
        var raw = reader.ReadUInt32(what);
        if (!GgufValueTypes.IsDefined(raw))
        {
            throw new GgufFormatException($"'{key}' has unknown value type {raw} at byte {position}");
        }

        return (GgufValueType)raw;
    }

    private static object ReadScalar(GgufByteReader reader, GgufValueType type, string what) => type switch
    {
        GgufValueType.UInt8 => reader.ReadByte(what),
        GgufValueType.Int8 => (sbyte)reader.ReadByte(what),
        GgufValueType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(reader.ReadSpan(2, what)),
        GgufValueType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(reader.ReadSpan(2, what)),
        GgufValueType.UInt32 => reader.ReadUInt32(what),
        GgufValueType.Int32 => (int)reader.ReadUInt32(what),
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(reader.ReadUInt32(what)),
        GgufValueType.Bool => reader.ReadByte(what) != 0,
        GgufValueType.String => reader.ReadString(what, out _),
        GgufValueType.UInt64 => reader.ReadUInt64(what),
        GgufValueType.Int64 => (long)reader.ReadUInt64(what),
        GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(reader.ReadUInt64(what)),
        _ => throw new GgufFormatException($"{what} has unsupported type {GgufValueTypes.Name(type)}"),
    };

    private static Array ReadArray(GgufByteReader reader, GgufValueType elementType, int count, string what) => elementType switch
    {
        GgufValueType.UInt8 => Fill<byte>(reader, elementType, count, what),
        GgufValueType.Int8 => Fill<sbyte>(reader, elementType, count, what),
        GgufValueType.UInt16 => Fill<ushort>(reader, elementType, count, what),
        GgufValueType.Int16 => Fill<short>(reader, elementType, count, what),
        GgufValueType.UInt32 => Fill<uint>(reader, elementType, count, what),
        GgufValueType.Int32 => Fill<int>(reader, elementType, count, what),
        GgufValueType.Float32 => Fill<float>(reader, elementType, count, what),
        GgufValueType.Bool => Fill<bool>(reader, elementType, count, what),
        GgufValueType.String => Fill<string>(reader, elementType, count, what),
        GgufValueType.UInt64 => Fill<ulong>(reader, elementType, count, what),
        GgufValueType.Int64 => Fill<long>(reader, elementType, count, what),
        GgufValueType.Float64 => Fill<double>(reader, elementType, count, what),
        _ => throw new GgufFormatException($"{what} has unsupported element type {GgufValueTypes.Name(elementType)}"),
    };

    private static T[] Fill<T>(GgufByteReader reader, GgufValueType elementType, int count, string what)
    {
        if (count <= DirectAllocationLimit)
        {
            var items = new T[count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = (T)ReadScalar(reader, elementType, what);
            }

            return items;
        }

        // A count this large is only believed as far as the file delivers elements: grow while reading.
        var list = new List<T>(DirectAllocationLimit);
        for (var i = 0; i < count; i++)
        {
            list.Add((T)ReadScalar(reader, elementType, what));
        }

        return [.. list];
    }
}
