using System.Text;
using System.Text.Json;

namespace OpenLoRA.Attribution.Datanets;

/// <summary>
/// Parses a Datanet upload: one JSON object per line, <c>{"id":"…","contributor":"0x…","text":"…"}</c>.
/// Blank lines are skipped; unknown fields are ignored so uploads can carry extra metadata. Every rejection
/// names its 1-based line so a publisher can fix a multi-gigabyte file without guessing.
/// </summary>
public static class DatanetJsonlParser
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlyList<DatanetRecord> Parse(string jsonl, DatanetParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(jsonl);
        using var reader = new StringReader(jsonl);
        return Parse(reader, options);
    }

    /// <summary>
    /// Reads UTF-8 bytes line by line and decodes each line strictly, so invalid UTF-8 is reported on its own line
    /// (a StreamReader decodes ahead in blocks and would blame whichever line it was on).
    /// </summary>
    public static IReadOnlyList<DatanetRecord> Parse(Stream utf8Jsonl, DatanetParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Jsonl);
        options ??= new DatanetParserOptions();
        options.Validate();
        var buffered = new BufferedStream(utf8Jsonl, 1 << 16);
        var bytes = new MemoryStream();
        // A UTF-8 char is at most 3 bytes per UTF-16 unit, so this byte bound never rejects a line the char bound accepts.
        long maxBytes = (long)options.MaxLineChars * 3;
        return ParseLines(lineNumber =>
        {
            bytes.SetLength(0);
            bool readAny = false;
            while (true)
            {
                int b = buffered.ReadByte();
                if (b == -1) break;
                readAny = true;
                if (b == '\n') break;
                if (bytes.Length >= maxBytes) throw new DatanetFormatException(lineNumber, $"line is longer than {options.MaxLineChars} characters");
                bytes.WriteByte((byte)b);
            }
            if (!readAny) return null;
            ReadOnlySpan<byte> line = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            if (line.EndsWith("\r"u8)) line = line[..^1];
            if (lineNumber == 1 && line is [0xEF, 0xBB, 0xBF, ..]) line = line[3..]; // a UTF-8 BOM
            string text;
            try
            {
                text = s_strictUtf8.GetString(line);
            }
            catch (DecoderFallbackException)
            {
                throw new DatanetFormatException(lineNumber, "invalid UTF-8");
            }
            if (text.Length > options.MaxLineChars) throw new DatanetFormatException(lineNumber, $"line is longer than {options.MaxLineChars} characters");
            return text;
        }, options);
    }

    public static IReadOnlyList<DatanetRecord> Parse(TextReader reader, DatanetParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new DatanetParserOptions();
        options.Validate();
        var line = new StringBuilder();
        return ParseLines(lineNumber => ReadBoundedLine(reader, line, options.MaxLineChars, lineNumber) ? line.ToString() : null, options);
    }

    /// <summary>The shared loop; <paramref name="readLine"/> returns the next line without its terminator, or null at the end.</summary>
    private static IReadOnlyList<DatanetRecord> ParseLines(Func<long, string?> readLine, DatanetParserOptions options)
    {
        var records = new List<DatanetRecord>();
        var firstLineOfId = new Dictionary<string, long>(StringComparer.Ordinal);
        long lineNumber = 0;
        long totalChars = 0;
        while (true)
        {
            lineNumber++;
            string? line = readLine(lineNumber);
            if (line is null) break;
            if (string.IsNullOrWhiteSpace(line)) continue;

            totalChars += line.Length;
            if (totalChars > options.MaxTotalChars)
                throw new DatanetFormatException(lineNumber, $"Datanet exceeds the limit of {options.MaxTotalChars} characters in total");
            if (records.Count >= options.MaxRecords)
                throw new DatanetFormatException(lineNumber, $"Datanet exceeds the limit of {options.MaxRecords} records");

            DatanetRecord record = ParseLine(line, lineNumber, options);
            if (firstLineOfId.TryGetValue(record.Id, out long firstLine))
                throw new DatanetFormatException(lineNumber, $"duplicate id '{record.Id}' (first seen on line {firstLine})");
            firstLineOfId.Add(record.Id, lineNumber);
            records.Add(record);
        }
        if (records.Count == 0) throw new DatanetFormatException(0, "no records");
        return records;
    }

    private static DatanetRecord ParseLine(string line, long lineNumber, DatanetParserOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new DatanetFormatException(lineNumber, $"malformed JSON ({e.Message})");
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new DatanetFormatException(lineNumber, $"expected a JSON object, found {root.ValueKind}");

            string id = RequiredString(root, "id", lineNumber);
            if (id.Length == 0) throw new DatanetFormatException(lineNumber, "field 'id' is empty");
            if (Encoding.UTF8.GetByteCount(id) > options.MaxIdBytes)
                throw new DatanetFormatException(lineNumber, $"field 'id' is longer than {options.MaxIdBytes} UTF-8 bytes");

            string contributorRaw = RequiredString(root, "contributor", lineNumber);
            if (!EthereumAddress.TryNormalize(contributorRaw, out string? contributor, out string error))
                throw new DatanetFormatException(lineNumber, $"field 'contributor' ('{contributorRaw}'): {error}");

            string text = RequiredString(root, "text", lineNumber);
            if (string.IsNullOrWhiteSpace(text)) throw new DatanetFormatException(lineNumber, "field 'text' is empty");

            return new DatanetRecord(id, contributor, text);
        }
    }

    private static string RequiredString(JsonElement obj, string name, long lineNumber)
    {
        if (!obj.TryGetProperty(name, out JsonElement value))
            throw new DatanetFormatException(lineNumber, $"missing field '{name}'");
        if (value.ValueKind != JsonValueKind.String)
            throw new DatanetFormatException(lineNumber, $"field '{name}' must be a string, found {value.ValueKind}");
        return value.GetString()!;
    }

    /// <summary>Reads one line into <paramref name="line"/>; false at end of input. Never buffers past the limit.</summary>
    private static bool ReadBoundedLine(TextReader reader, StringBuilder line, int maxChars, long lineNumber)
    {
        line.Clear();
        bool readAny = false;
        while (true)
        {
            int c = reader.Read();
            if (c == -1) return readAny;
            readAny = true;
            if (c == '\n') return true;
            if (c == '\r')
            {
                if (reader.Peek() == '\n') reader.Read();
                return true;
            }
            if (line.Length >= maxChars)
                throw new DatanetFormatException(lineNumber, $"line is longer than {maxChars} characters");
            line.Append((char)c);
        }
    }
}
