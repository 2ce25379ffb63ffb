using System.Buffers.Binary;
using System.Text.Json;

namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Reads the safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
/// shape and data offsets, then the data. Every length and offset is checked against the file before use.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>Headers are small JSON; a larger declared size is a corrupt or hostile file, not a big model.</summary>
    private const long MaxHeaderBytes = 64L * 1024 * 1024;

    private SafetensorsFile(string path, long dataStart, IReadOnlyList<SafetensorsTensor> tensors)
    {
        Path = path;
        DataStart = dataStart;
        Tensors = tensors;
    }

    public string Path { get; }

    public long DataStart { get; }

    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    public static SafetensorsFile Open(string path)
    {
        using var stream = File.OpenRead(path);
        var length = stream.Length;
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw new PeftFormatException("The safetensors file is shorter than its 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, length - 8))
        {
            throw new PeftFormatException($"The safetensors header claims {headerLength} bytes; the file has {length - 8} after the length.");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var tensors = ParseHeader(header, length - dataStart);
        return new SafetensorsFile(path, dataStart, tensors);
    }

    /// <summary>Reads one tensor's raw little-endian bytes.</summary>
    public byte[] ReadBytes(SafetensorsTensor tensor)
    {
        using var stream = File.OpenRead(Path);
        stream.Position = DataStart + tensor.Begin;
        var bytes = new byte[tensor.End - tensor.Begin];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static List<SafetensorsTensor> ParseHeader(byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new PeftFormatException($"The safetensors header is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PeftFormatException("The safetensors header is not a JSON object.");
            }

            var tensors = new List<SafetensorsTensor>();
            try
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name == "__metadata__")
                    {
                        continue;
                    }

                    tensors.Add(ParseTensor(property, dataLength));
                }
            }
            catch (InvalidOperationException ex)
            {
                // Names that are not valid UTF-8 surface here, when the property name is decoded.
                throw new PeftFormatException($"The safetensors header is malformed: {ex.Message}");
            }

            CheckLayout(tensors);
            return tensors;
        }
    }

    private static SafetensorsTensor ParseTensor(JsonProperty property, long dataLength)
    {
        try
        {
            var value = property.Value;
            var dtype = value.GetProperty("dtype").GetString() ?? "";
            var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            {
                throw new PeftFormatException($"Tensor '{property.Name}' has data offsets outside the file.");
            }

            if (shape.Any(d => d < 1 || d > int.MaxValue))
            {
                throw new PeftFormatException($"Tensor '{property.Name}' has an invalid shape [{string.Join(", ", shape)}].");
            }

            var tensor = new SafetensorsTensor(property.Name, dtype, shape, offsets[0], offsets[1]);
            if (tensor.ElementCount > int.MaxValue || tensor.ElementCount * tensor.ElementSize != tensor.End - tensor.Begin)
            {
                throw new PeftFormatException($"Tensor '{property.Name}' has {tensor.End - tensor.Begin} bytes of data, which does not match its shape and dtype.");
            }

            return tensor;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PeftFormatException($"Tensor '{property.Name}' has a malformed header entry: {ex.Message}");
        }
    }

    private static void CheckLayout(List<SafetensorsTensor> tensors)
    {
        var ordered = tensors.OrderBy(t => t.Begin).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Begin < ordered[i - 1].End)
            {
                throw new PeftFormatException($"Tensors '{ordered[i - 1].Name}' and '{ordered[i].Name}' overlap.");
            }
        }
    }
}
