using System.Text.Json;

namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Typed reads of adapter_config.json fields. A field of the wrong JSON type is refused with its name rather than
/// read as its default: a <c>"use_rslora": "true"</c> silently taken as false would change the adapter's scale.
/// </summary>
internal static class PeftJson
{
    public static bool IsAbsent(JsonElement root, string key, out JsonElement value) =>
        !root.TryGetProperty(key, out value) || value.ValueKind == JsonValueKind.Null;

    public static string? String(JsonElement root, string key) =>
        IsAbsent(root, key, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? Text(key, value)
        : throw Wrong(key, "a string", value);

    public static bool Bool(JsonElement root, string key) =>
        !IsAbsent(root, key, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(key, "true or false", value),
        };

    public static int? Int(JsonElement root, string key) =>
        IsAbsent(root, key, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw Wrong(key, "an integer", value);

    // TryGetDouble, not GetDouble: a literal beyond double's range (1e400) is valid JSON that GetDouble throws on.
    public static double? Number(JsonElement root, string key) =>
        IsAbsent(root, key, out var value) ? null
        : value.ValueKind != JsonValueKind.Number ? throw Wrong(key, "a number", value)
        : value.TryGetDouble(out var number) ? number
        : throw new PeftFormatException($"adapter_config.json: {key} = {Raw(value)} is beyond the range of a double.");

    /// <summary>True when the field holds anything but null, false, 0, "", an empty list or an empty map (Python's falsy values, which PEFT tests with "if").</summary>
    public static bool IsSet(JsonElement root, string key) =>
        !IsAbsent(root, key, out var value) && value.ValueKind switch
        {
            JsonValueKind.False => false,
            JsonValueKind.Number => !value.TryGetDouble(out var number) || number != 0,
            JsonValueKind.String => value.ValueEquals(""u8) is false,
            JsonValueKind.Array => value.GetArrayLength() > 0,
            JsonValueKind.Object => value.EnumerateObject().Any(),
            _ => true,
        };

    /// <summary>A list of strings, or one string (PEFT then treats it as a regex, or "all-linear"); null when absent.</summary>
    public static IReadOnlyList<string>? Strings(JsonElement root, string key)
    {
        if (IsAbsent(root, key, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [Text(key, value)];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Wrong(key, "a string or a list of strings", value);
        }

        return [.. value.EnumerateArray().Select(e => Text(key, e))];
    }

    /// <summary>
    /// A JSON string's text. The parser checks structure, not the UTF-8 inside strings: decoding it is where invalid
    /// bytes surface, as InvalidOperationException, which must stay a format error.
    /// </summary>
    private static string Text(string key, JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new PeftFormatException($"adapter_config.json: {key} is not valid UTF-8 text.");
        }
    }

    private static PeftFormatException Wrong(string key, string expected, JsonElement value) =>
        new($"adapter_config.json: {key} must be {expected}, not {Describe(value)}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False =>
            Raw(value),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    // The raw text can hold invalid UTF-8, which cannot be shown, and can be long.
    private static string Raw(JsonElement value)
    {
        string text;
        try
        {
            text = value.GetRawText();
        }
        catch (InvalidOperationException)
        {
            return "text that is not valid UTF-8";
        }

        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
