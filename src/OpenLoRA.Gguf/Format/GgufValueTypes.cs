namespace OpenLoRA.Gguf.Format;

/// <summary>Names, encoded sizes and CLR types of <see cref="GgufValueType"/>.</summary>
internal static class GgufValueTypes
{
    public static bool IsDefined(uint type) => type <= (uint)GgufValueType.Float64;

    /// <summary>Short names as gguf.cpp prints them, so messages match llama.cpp's logs.</summary>
    public static string Name(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => "u8",
        GgufValueType.Int8 => "i8",
        GgufValueType.UInt16 => "u16",
        GgufValueType.Int16 => "i16",
        GgufValueType.UInt32 => "u32",
        GgufValueType.Int32 => "i32",
        GgufValueType.Float32 => "f32",
        GgufValueType.Bool => "bool",
        GgufValueType.String => "string",
        GgufValueType.Array => "array",
        GgufValueType.UInt64 => "u64",
        GgufValueType.Int64 => "i64",
        GgufValueType.Float64 => "f64",
        _ => $"type {(uint)type}",
    };

    /// <summary>Encoded size of one value; strings count only their 8-byte length prefix (their minimum).</summary>
    public static int MinimumSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "array elements have no fixed size"),
    };

    public static GgufValueType Of(Type clrType)
    {
        if (clrType == typeof(byte)) { return GgufValueType.UInt8; }
        if (clrType == typeof(sbyte)) { return GgufValueType.Int8; }
        if (clrType == typeof(ushort)) { return GgufValueType.UInt16; }
        if (clrType == typeof(short)) { return GgufValueType.Int16; }
        if (clrType == typeof(uint)) { return GgufValueType.UInt32; }
        if (clrType == typeof(int)) { return GgufValueType.Int32; }
        if (clrType == typeof(float)) { return GgufValueType.Float32; }
        if (clrType == typeof(bool)) { return GgufValueType.Bool; }
        if (clrType == typeof(string)) { return GgufValueType.String; }
        if (clrType == typeof(ulong)) { return GgufValueType.UInt64; }
        if (clrType == typeof(long)) { return GgufValueType.Int64; }
        if (clrType == typeof(double)) { return GgufValueType.Float64; }
        throw new ArgumentException($"{clrType} has no GGUF value type", nameof(clrType));
    }
}
