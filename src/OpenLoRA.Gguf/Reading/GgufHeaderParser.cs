using OpenLoRA.Gguf.Format;

namespace OpenLoRA.Gguf.Reading;

/// <summary>
/// Parses header, metadata and tensor infos with the same acceptance rules as ggml's gguf.cpp (versions 2 and 3,
/// unique non-empty keys, u32 power-of-two alignment, at most 4 dimensions, names under 64 bytes, aligned
/// offsets), plus: every tensor's data must lie inside the file.
/// </summary>
internal sealed class GgufHeaderParser(Stream stream)
{
    // Smallest encodings: a key-value pair is an 8-byte length, a 1-byte key, a 4-byte type and a 1-byte value;
    // a tensor info is an 8-byte name length, a 4-byte dimension count, a 4-byte type and an 8-byte offset.
    private const int MinimumKeyValueBytes = 14;
    private const int MinimumTensorInfoBytes = 24;

    // Lists grow as items are actually read, so a large declared count in a large file costs memory only for
    // the items that are really there.
    private const int InitialCapacity = 1024;

    private readonly GgufByteReader _reader = new(stream);

    public GgufFile Parse()
    {
        var magic = _reader.ReadUInt32("the magic number");
        if (magic != GgufConstants.Magic)
        {
            throw new GgufFormatException($"not a GGUF file: the magic number is 0x{magic:X8}, expected 0x{GgufConstants.Magic:X8} (\"GGUF\")");
        }

        var version = _reader.ReadUInt32("the version");
        if (version is < 2 or > GgufConstants.Version)
        {
            throw new GgufFormatException($"unsupported GGUF version {version}; versions 2 and 3 are supported");
        }

        var tensorCount = ReadCount("the tensor count", MinimumTensorInfoBytes);
        var keyCount = ReadCount("the metadata key count", MinimumKeyValueBytes);
        var metadata = ReadMetadata(keyCount);
        var alignment = ReadAlignment(metadata);
        var tensorInfoPosition = _reader.Position;
        var tensors = ReadTensorInfos(tensorCount);
        var dataOffset = AlignUp(_reader.Position, alignment);
        var dataBytes = Math.Max(0, _reader.Length - dataOffset);
        var located = tensors.Select(t => Locate(t, alignment, dataOffset, dataBytes)).ToList();
        return new GgufFile(version, metadata, located, alignment, tensorInfoPosition, dataOffset, _reader.Length);
    }

    private int ReadCount(string what, int minimumItemBytes)
    {
        var position = _reader.Position;
        var count = _reader.ReadUInt64(what);
        if (count > (ulong)(_reader.Remaining / minimumItemBytes) || count > (ulong)Array.MaxLength)
        {
            throw new GgufFormatException(
                $"{what} {count} at byte {position} is more than the {_reader.Remaining} bytes left in the file can hold");
        }

        return (int)count;
    }

    private List<KeyValuePair<string, GgufValue>> ReadMetadata(int count)
    {
        var metadata = new List<KeyValuePair<string, GgufValue>>(Math.Min(count, InitialCapacity));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var position = _reader.Position;
            var key = _reader.ReadString($"metadata key #{i}", out var hasNul);
            if (key.Length == 0 || hasNul)
            {
                throw new GgufFormatException($"metadata key #{i} at byte {position} is empty or contains a NUL byte");
            }

            if (!seen.Add(key))
            {
                throw new GgufFormatException($"duplicate metadata key '{key}' at byte {position}");
            }

            metadata.Add(new KeyValuePair<string, GgufValue>(key, GgufValueParser.Read(_reader, key)));
        }

        return metadata;
    }

    private static uint ReadAlignment(List<KeyValuePair<string, GgufValue>> metadata)
    {
        var entry = metadata.FirstOrDefault(pair => pair.Key == GgufConstants.AlignmentKey);
        if (entry.Value is null)
        {
            return GgufConstants.DefaultAlignment;
        }

        if (!entry.Value.TryGet<uint>(out var alignment))
        {
            throw new GgufFormatException($"'{GgufConstants.AlignmentKey}' has type {entry.Value.TypeName}; expected u32");
        }

        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new GgufFormatException($"'{GgufConstants.AlignmentKey}' is {alignment}; it must be a power of two");
        }

        return alignment;
    }

    private List<GgufTensorInfo> ReadTensorInfos(int count)
    {
        var tensors = new List<GgufTensorInfo>(Math.Min(count, InitialCapacity));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var position = _reader.Position;
            var name = _reader.ReadString($"the name of tensor #{i}", out var hasNul);
            if (hasNul || System.Text.Encoding.UTF8.GetByteCount(name) > GgufConstants.MaxTensorNameBytes)
            {
                throw new GgufFormatException(
                    $"tensor #{i} at byte {position} has a name that contains a NUL byte or is longer than {GgufConstants.MaxTensorNameBytes} bytes");
            }

            if (!names.Add(name))
            {
                throw new GgufFormatException($"duplicate tensor name '{name}' (tensor #{i} at byte {position})");
            }

            tensors.Add(ReadTensorShape(name, position));
        }

        return tensors;
    }

    private GgufTensorInfo ReadTensorShape(string name, long position)
    {
        var dimensionCount = _reader.ReadUInt32($"the dimension count of tensor '{name}'");
        if (dimensionCount > GgufConstants.MaxDimensions)
        {
            throw new GgufFormatException($"tensor '{name}' has {dimensionCount} dimensions; at most {GgufConstants.MaxDimensions} are allowed");
        }

        var dimensions = new long[dimensionCount];
        for (var d = 0; d < dimensions.Length; d++)
        {
            var value = _reader.ReadUInt64($"dimension {d} of tensor '{name}'");
            if (value > long.MaxValue)
            {
                throw new GgufFormatException($"tensor '{name}' dimension {d} is {(long)value}; dimensions cannot be negative");
            }

            dimensions[d] = (long)value;
        }

        var rawType = _reader.ReadUInt32($"the type of tensor '{name}'");
        var type = (GgmlType)rawType;
        if (!GgmlTypeTraits.TryGet(type, out var blockSize, out _))
        {
            throw new GgufFormatException($"tensor '{name}' has unknown ggml type {rawType}");
        }

        var elements = GgmlTypeTraits.ElementCount(dimensions)
            ?? throw new GgufFormatException($"tensor '{name}' with shape [{string.Join(", ", dimensions)}] has too many elements");
        if (dimensions.Length > 0 && dimensions[0] % blockSize != 0)
        {
            throw new GgufFormatException(
                $"tensor '{name}' of type {type} has {dimensions[0]} elements per row, not a multiple of its block size {blockSize}");
        }

        var byteSize = GgmlTypeTraits.ByteSize(type, dimensions)
            ?? throw new GgufFormatException($"tensor '{name}' with shape [{string.Join(", ", dimensions)}] is too large");
        var offset = _reader.ReadUInt64($"the data offset of tensor '{name}'");
        if (offset > long.MaxValue)
        {
            throw new GgufFormatException($"tensor '{name}' has data offset {offset}, past the end of the file");
        }

        return new GgufTensorInfo(name, dimensions, type, (long)offset, byteSize, elements, position);
    }

    private static GgufTensorInfo Locate(GgufTensorInfo tensor, uint alignment, long dataOffset, long dataBytes)
    {
        if (tensor.Offset % alignment != 0)
        {
            throw new GgufFormatException($"tensor '{tensor.Name}' has data offset {tensor.Offset}, not a multiple of the alignment {alignment}");
        }

        if (tensor.Offset > dataBytes || tensor.ByteSize > dataBytes - tensor.Offset)
        {
            // Decimal: a corrupt offset near long.MaxValue must still print its true end, not a wrapped one.
            var start = (decimal)dataOffset + tensor.Offset;
            throw new GgufFormatException(
                $"tensor '{tensor.Name}' data (bytes {start} to {start + tensor.ByteSize}) extends past the end of the file ({dataOffset + dataBytes} bytes)");
        }

        return tensor;
    }

    private static long AlignUp(long position, uint alignment) => (position + alignment - 1) / alignment * alignment;
}
