using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using OpenLoRA.Gguf.Format;

namespace OpenLoRA.Gguf;

/// <summary>
/// One metadata value: a scalar, a string, or an array of one scalar or string type. Accessors check the stored
/// GGUF type exactly (a u32 is not an i32), because llama.cpp aborts on a key of the wrong type.
/// </summary>
public sealed class GgufValue
{
    private readonly object _value;

    private GgufValue(GgufValueType type, GgufValueType? elementType, object value)
    {
        Type = type;
        ElementType = elementType;
        _value = value;
    }

    public GgufValueType Type { get; }

    /// <summary>The element type of an array; null for scalars and strings.</summary>
    public GgufValueType? ElementType { get; }

    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>Number of elements of an array; 1 for a scalar or string.</summary>
    public int Count => _value is Array array ? array.Length : 1;

    /// <summary>"u32", "string", "array of string"…, as used in validation messages.</summary>
    public string TypeName => ElementType is { } element
        ? $"array of {GgufValueTypes.Name(element)}"
        : GgufValueTypes.Name(Type);

    public static GgufValue From(byte value) => new(GgufValueType.UInt8, null, value);

    public static GgufValue From(sbyte value) => new(GgufValueType.Int8, null, value);

    public static GgufValue From(ushort value) => new(GgufValueType.UInt16, null, value);

    public static GgufValue From(short value) => new(GgufValueType.Int16, null, value);

    public static GgufValue From(uint value) => new(GgufValueType.UInt32, null, value);

    public static GgufValue From(int value) => new(GgufValueType.Int32, null, value);

    public static GgufValue From(float value) => new(GgufValueType.Float32, null, value);

    public static GgufValue From(bool value) => new(GgufValueType.Bool, null, value);

    public static GgufValue From(string value) => new(GgufValueType.String, null, value ?? throw new ArgumentNullException(nameof(value)));

    public static GgufValue From(ulong value) => new(GgufValueType.UInt64, null, value);

    public static GgufValue From(long value) => new(GgufValueType.Int64, null, value);

    public static GgufValue From(double value) => new(GgufValueType.Float64, null, value);

    /// <summary>An array whose element type follows from <typeparamref name="T"/> (byte → u8, string → string…).</summary>
    public static GgufValue FromArray<T>(IEnumerable<T> items)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        if (array is string[] strings && strings.Any(s => s is null))
        {
            throw new ArgumentException("string arrays may not contain null", nameof(items));
        }

        return new GgufValue(GgufValueType.Array, GgufValueTypes.Of(typeof(T)), array);
    }

    /// <summary>Wraps an array the reader built; it is not copied.</summary>
    internal static GgufValue WrapArray(GgufValueType elementType, Array items) => new(GgufValueType.Array, elementType, items);

    internal static GgufValue WrapScalar(GgufValueType type, object value) => new(type, null, value);

    /// <summary>The scalar or string, when it is stored as exactly <typeparamref name="T"/>.</summary>
    public bool TryGet<T>([MaybeNullWhen(false)] out T value)
    {
        if (!IsArray && _value is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// A scalar stored as any integer type whose value fits a <see cref="long"/>: files write counts as u32, i32 or
    /// u64 depending on the converter.
    /// </summary>
    public bool TryGetInteger(out long value)
    {
        switch (IsArray ? null : _value)
        {
            case byte u8: value = u8; return true;
            case sbyte i8: value = i8; return true;
            case ushort u16: value = u16; return true;
            case short i16: value = i16; return true;
            case uint u32: value = u32; return true;
            case int i32: value = i32; return true;
            case ulong u64 when u64 <= long.MaxValue: value = (long)u64; return true;
            case long i64: value = i64; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>A scalar stored as f32 or f64.</summary>
    public bool TryGetReal(out double value)
    {
        switch (IsArray ? null : _value)
        {
            case float f32: value = f32; return true;
            case double f64: value = f64; return true;
            default: value = 0; return false;
        }
    }

    public T Get<T>() => TryGet<T>(out var value)
        ? value
        : throw new InvalidOperationException($"value has type {TypeName}, not {typeof(T).Name}");

    /// <summary>The elements of an array whose element type is exactly <typeparamref name="T"/>.</summary>
    public bool TryGetArray<T>([MaybeNullWhen(false)] out IReadOnlyList<T> items)
    {
        if (_value is T[] typed)
        {
            items = typed;
            return true;
        }

        items = null;
        return false;
    }

    public IReadOnlyList<T> GetArray<T>() => TryGetArray<T>(out var items)
        ? items
        : throw new InvalidOperationException($"value has type {TypeName}, not an array of {typeof(T).Name}");

    /// <summary>The stored scalar, string or typed array, for the writer to encode.</summary>
    internal object Payload => _value;

    public override string ToString() => _value switch
    {
        string text => text,
        Array array => $"[{array.Length} × {GgufValueTypes.Name(ElementType!.Value)}]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => _value.ToString() ?? string.Empty,
    };
}
