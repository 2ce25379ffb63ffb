using OpenLoRA.Gguf.Format;
using OpenLoRA.Gguf.Writing;

namespace OpenLoRA.Gguf;

/// <summary>
/// Writes GGUF v3: metadata and tensors in the order they were added, data streamed tensor by tensor through a
/// callback, every tensor padded to the alignment with zeros. The same additions give byte-identical files.
/// Malformed shapes and any ggml type are allowed on purpose, so tests can write the files a validator must refuse.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<PendingTensor> _tensors = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary><c>general.alignment</c> when it was added as a u32, else the GGUF default of 32.</summary>
    public uint Alignment
    {
        get
        {
            var entry = _metadata.FirstOrDefault(pair => pair.Key == GgufConstants.AlignmentKey);
            return entry.Value is not null && entry.Value.TryGet<uint>(out var alignment) && alignment > 0 && (alignment & (alignment - 1)) == 0
                ? alignment
                : GgufConstants.DefaultAlignment;
        }
    }

    public GgufWriter Add(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_keys.Add(key))
        {
            throw new ArgumentException($"metadata key '{key}' was already added", nameof(key));
        }

        _metadata.Add(new KeyValuePair<string, GgufValue>(key, value));
        return this;
    }

    /// <summary>Declares a tensor with <paramref name="dimensions"/> in ggml order; its data is written by <paramref name="writeData"/>.</summary>
    public GgufWriter AddTensor(string name, GgmlType type, IReadOnlyList<long> dimensions, Action<GgufTensorDataWriter> writeData)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(writeData);
        var byteSize = GgmlTypeTraits.ByteSize(type, dimensions)
            ?? throw new ArgumentException($"tensor '{name}' of type {type} with shape [{string.Join(", ", dimensions)}] has no byte size", nameof(dimensions));
        _tensors.Add(new PendingTensor(name, type, [.. dimensions], byteSize, writeData));
        return this;
    }

    public void WriteTo(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);

        // Not disposed: disposing a BufferedStream closes the file before it can be flushed to disk.
        var buffered = new BufferedStream(file, 1 << 20);
        WriteTo(buffered);
        buffered.Flush();
        file.Flush(flushToDisk: true);
    }

    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var alignment = Alignment;
        var writer = new GgufBinaryWriter(destination);
        writer.WriteUInt32(GgufConstants.Magic);
        writer.WriteUInt32(GgufConstants.Version);
        writer.WriteUInt64((ulong)_tensors.Count);
        writer.WriteUInt64((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            writer.WriteString(key);
            writer.WriteValue(value);
        }

        long offset = 0;
        foreach (var tensor in _tensors)
        {
            writer.WriteString(tensor.Name);
            writer.WriteUInt32((uint)tensor.Dimensions.Length);
            foreach (var dimension in tensor.Dimensions)
            {
                writer.WriteUInt64((ulong)dimension);
            }

            writer.WriteUInt32((uint)tensor.Type);
            writer.WriteUInt64((ulong)offset);
            offset += (tensor.ByteSize + alignment - 1) / alignment * alignment;
        }

        writer.PadTo(alignment);
        var scratch = new byte[256 * 1024];
        foreach (var tensor in _tensors)
        {
            var data = new GgufTensorDataWriter(destination, tensor.Name, tensor.Type, tensor.ByteSize, scratch);
            tensor.WriteData(data);
            if (data.BytesRemaining != 0)
            {
                throw new InvalidOperationException($"tensor '{tensor.Name}' is {data.BytesRemaining} bytes short of its {tensor.ByteSize} bytes");
            }

            writer.Advance(tensor.ByteSize);
            writer.PadTo(alignment);
        }

        destination.Flush();
    }
}
