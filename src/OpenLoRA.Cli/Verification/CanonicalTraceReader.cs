using System.Globalization;
using System.Text.Json;
using OpenLoRA.Attribution.Scoring;
using OpenLoRA.Attribution.Traces;

namespace OpenLoRA.Cli.Verification;

/// <summary>
/// Reads the canonical trace text (the camelCase fields <see cref="TraceEncoder"/> writes) back into an
/// <see cref="AttributionTrace"/>. Reading is lenient about layout on purpose: the caller re-encodes the result and
/// compares bytes, which is what proves the text is canonical (no extra or duplicate fields, fixed order, no spaces).
/// </summary>
internal static class CanonicalTraceReader
{
    /// <exception cref="FormatException">The text is not JSON or lacks a field of the trace format.</exception>
    public static AttributionTrace Read(string canonical)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(canonical);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON ({ex.Message})");
        }

        using (document)
        {
            var root = Object(document.RootElement, "trace");
            var version = Int64(root, "version");
            if (version != TraceEncoder.FormatVersion)
            {
                throw new FormatException($"version {version}, this tool reads version {TraceEncoder.FormatVersion}");
            }

            var method = Object(Property(root, "method"), "method");
            return new AttributionTrace
            {
                TraceId = String(root, "traceId"),
                CreatedAtUnixMs = Int64(root, "createdAtUnixMs"),
                BaseModelHash = String(root, "baseModelHash"),
                AdapterSha256 = String(root, "adapterSha256"),
                Publisher = String(root, "publisher"),
                DatanetRoot = NullableString(root, "datanetRoot"),
                RequestHash = String(root, "requestHash"),
                GeneratedTokensHash = String(root, "generatedTokensHash"),
                PromptTokens = Int32(root, "promptTokens"),
                CompletionTokens = Int32(root, "completionTokens"),
                Method = String(method, "name"),
                Parameters = new AttributionParameters
                {
                    MinSpanTokens = Int32(method, "minSpanTokens"),
                    MaxSpanTokens = Int32(method, "maxSpanTokens"),
                    MaxOccurrencesPerSpan = Int32(method, "maxOccurrencesPerSpan"),
                },
                Basis = Basis(String(method, "basis")),
                Spans = Array(root, "spans").Select(Span).ToArray(),
                Contributors = Array(root, "contributors").Select(Contributor).ToArray(),
                Charge = Charge(Property(root, "charge")),
            };
        }
    }

    private static AttributedSpan Span(JsonElement element)
    {
        var span = Object(element, "span");
        var weightText = String(span, "weight");
        if (!ulong.TryParse(weightText, NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
        {
            throw new FormatException($"span weight '{weightText}' is not a u64 decimal");
        }

        var records = Array(span, "records")
            .Select(r => r.ValueKind == JsonValueKind.String ? r.GetString()! : throw new FormatException("span records must be strings"))
            .ToArray();
        return new AttributedSpan(Int32(span, "start"), Int32(span, "length"), Int32(span, "occurrences"), records, weight);
    }

    private static ContributorShare Contributor(JsonElement element)
    {
        var share = Object(element, "contributor");
        return new ContributorShare(String(share, "address"), Int32(share, "ppm"));
    }

    private static TraceCharge? Charge(JsonElement element) => element.ValueKind == JsonValueKind.Null
        ? null
        : new TraceCharge(String(Object(element, "charge"), "amount"), String(element, "currency"));

    private static AttributionBasis Basis(string name) => name switch
    {
        "none" => AttributionBasis.None,
        "spans" => AttributionBasis.Spans,
        "static-shares" => AttributionBasis.StaticShares,
        _ => throw new FormatException($"unknown attribution basis '{name}'"),
    };

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new FormatException($"{what} must be an object");

    private static JsonElement Property(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value : throw new FormatException($"missing field '{name}'");

    private static IEnumerable<JsonElement> Array(JsonElement obj, string name)
    {
        var value = Property(obj, name);
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToArray()
            : throw new FormatException($"field '{name}' must be an array");
    }

    private static string String(JsonElement obj, string name)
    {
        var value = Property(obj, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"field '{name}' must be a string");
    }

    private static string? NullableString(JsonElement obj, string name)
    {
        var value = Property(obj, name);
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            _ => throw new FormatException($"field '{name}' must be a string or null"),
        };
    }

    private static long Int64(JsonElement obj, string name)
    {
        var value = Property(obj, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new FormatException($"field '{name}' must be an integer");
    }

    private static int Int32(JsonElement obj, string name)
    {
        var value = Property(obj, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new FormatException($"field '{name}' must be a 32-bit integer");
    }
}
