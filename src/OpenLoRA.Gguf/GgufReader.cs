using OpenLoRA.Gguf.Reading;

namespace OpenLoRA.Gguf;

/// <summary>
/// Reads the header of a GGUF file (versions 2 and 3). Malformed input only ever raises
/// <see cref="GgufFormatException"/>; I/O failures surface as the usual I/O exceptions.
/// </summary>
public static class GgufReader
{
    public static GgufFile Read(string path)
    {
        using var stream = OpenRead(path);
        return Read(stream);
    }

    /// <summary>Reads from the start of a seekable stream; the stream's length is the file size all bounds use.</summary>
    public static GgufFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("GGUF files are read from a readable, seekable stream", nameof(stream));
        }

        return new GgufHeaderParser(stream).Parse();
    }

    /// <summary>Reads one tensor's elements as floats, in chunks; <paramref name="visit"/> returns false to stop early.</summary>
    public static void ReadTensorValues(Stream stream, GgufFile file, GgufTensorInfo tensor, TensorChunkVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(visit);
        TensorDataReader.Read(stream, file.DataOffset + tensor.Offset, tensor, visit);
    }

    /// <summary>All elements of an F32, F16 or BF16 tensor as floats.</summary>
    public static float[] ReadTensorValues(Stream stream, GgufFile file, GgufTensorInfo tensor)
    {
        var values = new float[checked((int)tensor.ElementCount)];
        ReadTensorValues(stream, file, tensor, (chunk, first) =>
        {
            chunk.CopyTo(values.AsSpan((int)first));
            return true;
        });
        return values;
    }

    internal static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
}
