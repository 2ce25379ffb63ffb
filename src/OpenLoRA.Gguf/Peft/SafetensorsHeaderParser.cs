using System.Text.Json;

namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Parses and checks a safetensors JSON header the way the reference library does: every entry has a supported
/// dtype, a shape whose element count matches its byte range, and byte ranges that tile the data section exactly,
/// in some order, without overlaps, gaps or trailing bytes.
/// </summary>
internal static class SafetensorsHeaderParser
{
    private const string MetadataKey = "__metadata__";

    public static (IReadOnlyList<SafetensorsTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(byte[] header, long dataLength)
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
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                    {
                        throw new PeftFormatException($"The safetensors header names '{property.Name}' twice.");
                    }

                    if (property.Name == MetadataKey)
                    {
                        ReadMetadata(property.Value, metadata);
                        continue;
                    }

                    tensors.Add(ParseTensor(property));
                }
            }
            catch (InvalidOperationException ex)
            {
                // Names that are not valid UTF-8 surface here, when the property name is decoded.
                throw new PeftFormatException($"The safetensors header is malformed: {ex.Message}");
            }

            CheckLayout(tensors, dataLength);
            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new PeftFormatException("The safetensors __metadata__ is not a JSON object.");
        }

        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new PeftFormatException($"The safetensors __metadata__ entry '{entry.Name}' is not a string.");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensor ParseTensor(JsonProperty property)
    {
        var name = property.Name;
        try
        {
            var value = property.Value;
            var dtype = value.GetProperty("dtype").GetString() ?? "";
            if (dtype is not ("F32" or "F16" or "BF16"))
            {
                throw new PeftFormatException($"Tensor '{name}' has dtype {dtype}; only F32, F16 and BF16 are supported.");
            }

            var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
            {
                throw new PeftFormatException($"Tensor '{name}' has data offsets [{string.Join(", ", offsets)}]; expected [begin, end] with 0 <= begin <= end.");
            }

            var tensor = new SafetensorsTensor(name, dtype, shape, offsets[0], offsets[1]);
            var elements = ElementCount(name, shape);
            if (elements * tensor.ElementSize != tensor.End - tensor.Begin)
            {
                throw new PeftFormatException($"Tensor '{name}' has {tensor.End - tensor.Begin} bytes of data, which does not match its shape [{string.Join(", ", shape)}] of {dtype}.");
            }

            return tensor;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PeftFormatException($"Tensor '{name}' has a malformed header entry: {ex.Message}");
        }
    }

    /// <summary>Every dimension at least 1 (a zero makes llama.cpp divide by zero later), product without overflow.</summary>
    private static long ElementCount(string name, long[] shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 1 || dimension > int.MaxValue || count > int.MaxValue / dimension)
            {
                throw new PeftFormatException($"Tensor '{name}' has an invalid shape [{string.Join(", ", shape)}]: every dimension must be at least 1 and the tensor at most {int.MaxValue} elements.");
            }

            count *= dimension;
        }

        return count;
    }

    private static void CheckLayout(List<SafetensorsTensor> tensors, long dataLength)
    {
        long expected = 0;
        SafetensorsTensor? previous = null;
        foreach (var tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin < expected)
            {
                throw new PeftFormatException($"Tensors '{previous!.Name}' and '{tensor.Name}' overlap.");
            }

            if (tensor.Begin > expected)
            {
                throw new PeftFormatException($"The safetensors data has a gap of {tensor.Begin - expected} bytes before tensor '{tensor.Name}'.");
            }

            if (tensor.End > dataLength)
            {
                throw new PeftFormatException($"Tensor '{tensor.Name}' ends at byte {tensor.End} of a data section of {dataLength} bytes (outside the file).");
            }

            expected = tensor.End;
            previous = tensor;
        }

        if (expected != dataLength)
        {
            throw new PeftFormatException($"The safetensors data section has {dataLength - expected} bytes after the last tensor.");
        }
    }
}
