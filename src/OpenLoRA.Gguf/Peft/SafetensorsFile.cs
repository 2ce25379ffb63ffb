using System.Buffers.Binary;

namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Reads the safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
/// shape and data offsets (plus an optional <c>__metadata__</c> map of strings), then the data. Only the header is
/// read on open; tensor data is read on demand. Every length and offset is checked against the file before use,
/// and a malformed file only ever raises <see cref="PeftFormatException"/> (a missing or unreadable file raises the
/// usual I/O exceptions).
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>
    /// Headers are small JSON (about 150 bytes per tensor); a larger declared size is a corrupt or hostile file, and
    /// refusing it before allocating keeps a forged length from costing memory.
    /// </summary>
    private const long MaxHeaderBytes = 64L * 1024 * 1024;

    private SafetensorsFile(string path, long dataStart, long dataLength, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        DataStart = dataStart;
        DataLength = dataLength;
        Tensors = tensors;
        Metadata = metadata;
    }

    public string Path { get; }

    /// <summary>File position of the data section; tensor offsets are relative to it.</summary>
    public long DataStart { get; }

    public long DataLength { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries (PEFT writes <c>format = pt</c>); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenStream(path);
        var length = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw new PeftFormatException($"The safetensors file has {length} bytes, fewer than its 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(length - 8))
        {
            throw new PeftFormatException($"The safetensors header claims {headerLength} bytes; the file has {length - 8} after the length.");
        }

        if (headerLength > MaxHeaderBytes)
        {
            throw new PeftFormatException($"The safetensors header claims {headerLength} bytes; at most {MaxHeaderBytes} are accepted.");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var (tensors, metadata) = SafetensorsHeaderParser.Parse(header, length - dataStart);
        return new SafetensorsFile(path, dataStart, length - dataStart, tensors, metadata);
    }

    /// <summary>Reads one tensor's raw little-endian bytes (torch row-major order).</summary>
    public byte[] ReadBytes(SafetensorsTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var stream = OpenData();
        var bytes = new byte[tensor.End - tensor.Begin];
        ReadAt(stream, tensor.Begin, bytes);
        return bytes;
    }

    /// <summary>The file, for reading several tensors in a row with <see cref="ReadAt"/>.</summary>
    internal FileStream OpenData() => OpenStream(Path);

    /// <summary>Reads at <paramref name="offset"/> into the data section; a file that shrank since it was opened is a format error.</summary>
    internal void ReadAt(FileStream stream, long offset, Span<byte> destination)
    {
        stream.Position = DataStart + offset;
        if (stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) < destination.Length)
        {
            throw new PeftFormatException($"The safetensors file '{Path}' ended before the tensor data it declares (it changed after it was opened).");
        }
    }

    private static FileStream OpenStream(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
}
