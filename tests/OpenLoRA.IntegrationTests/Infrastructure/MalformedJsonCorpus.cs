using System.Text;
using System.Text.Json.Nodes;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>
/// Malformed bodies for a JSON endpoint, built from one valid body and its contract: roots that are not objects,
/// broken syntax and encodings, nested garbage, and for every field every JSON type it does not take (plus numbers
/// beyond its range, a lone surrogate, nesting past the parser's depth). None of them may be answered but 400.
/// </summary>
internal static class MalformedJsonCorpus
{
    private static readonly string DeepArrays = new string('[', 70) + new string(']', 70);

    private static readonly (string Value, JsonKind[] ValidFor)[] Values =
    [
        ("\"text\"", [JsonKind.String, JsonKind.StringOrStrings]),
        ("\"\\ud800\"", []),
        ("0", [JsonKind.Integer, JsonKind.Number]),
        ("-1", [JsonKind.Integer, JsonKind.Number]),
        ("1.5", [JsonKind.Number]),
        ("1e400", []),
        ("-1e400", []),
        ("99999999999999999999", [JsonKind.Number]),
        ("true", [JsonKind.Boolean]),
        ("false", [JsonKind.Boolean]),
        ("[]", [JsonKind.StringOrStrings]),
        ("[1,\"a\"]", []),
        ("[[{\"a\":[]}]]", []),
        ("{}", [JsonKind.Object]),
        ("{\"a\":[{\"b\":null}]}", [JsonKind.Object]),
        (DeepArrays, []),
    ];

    public static List<MalformedBody> For(string validBody, IReadOnlyList<JsonField> fields)
    {
        var bodies = Roots(validBody);
        foreach (var field in fields)
        {
            foreach (var (value, validFor) in Values)
            {
                if (!validFor.Contains(field.Kind))
                {
                    // Nesting past the depth limit is a syntax error, reported without a param.
                    bodies.Add(new MalformedBody($"{field.Name} = {Short(value)}", With(validBody, field.Name, value), value == DeepArrays ? null : field.Name));
                }
            }

            if (field.Required)
            {
                bodies.Add(new MalformedBody($"{field.Name} = null", With(validBody, field.Name, "null"), field.Name));
            }

            if (field.Kind == JsonKind.ArrayOfObjects)
            {
                foreach (var element in (string[])["1", "\"x\"", "[]", "null", "true", "{\"role\":1,\"content\":\"x\"}", "{\"role\":\"user\",\"content\":1}",
                    "{\"role\":\"user\",\"content\":{}}", "{\"role\":\"user\",\"content\":[1]}", "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}",
                    "{\"role\":\"user\",\"content\":\"x\",\"name\":[]}", "{\"role\":[\"user\"],\"content\":\"x\"}"])
                {
                    bodies.Add(new MalformedBody($"{field.Name}[0] = {element}", With(validBody, field.Name, $"[{element}]"), field.Name));
                }
            }

            if (field.Kind == JsonKind.Object)
            {
                bodies.Add(new MalformedBody($"{field.Name} with a wrong inner type", With(validBody, field.Name, "{\"include_usage\":\"yes\"}"), field.Name));
            }
        }

        return bodies;
    }

    private static List<MalformedBody> Roots(string validBody)
    {
        var valid = Encoding.UTF8.GetBytes(validBody);
        var invalidUtf8 = (byte[])valid.Clone();
        invalidUtf8[validBody.IndexOf(":\"", StringComparison.Ordinal) + 2] = 0xFF; // the first string value's first character (ASCII)
        return
        [
            Root("an array", "[]"),
            Root("an array of the valid body", $"[{validBody}]"),
            Root("a string", "\"hello\""),
            Root("a number", "1"),
            Root("a huge number", "1e400"),
            Root("true", "true"),
            Root("null", "null"),
            Root("an empty body", ""),
            Root("whitespace", "  \n "),
            Root("an unclosed object", "{"),
            Root("a property without a value", "{\"a\":}"),
            Root("a property without a colon", "{\"a\"}"),
            Root("a trailing comma", "{\"a\":1,}"),
            Root("a single-quoted string", "{'a':1}"),
            Root("a comment", "{/* c */}"),
            Root("NaN", "{\"a\":NaN}"),
            Root("trailing garbage", validBody + "x"),
            Root("two objects", validBody + validBody),
            Root("nested garbage", "{\"a\":[{\"b\":{\"c\":[1,{\"d\":}]}}]}"),
            Root("deep arrays", "{\"a\":" + DeepArrays + "}"),
            Root("deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70)),
            new MalformedBody("invalid UTF-8 inside a string", invalidUtf8, null),
            new MalformedBody("a NUL byte", [.. valid[..^1], 0, (byte)'}'], null),
            new MalformedBody("UTF-16", Encoding.Unicode.GetBytes(validBody), null),
        ];
    }

    private static MalformedBody Root(string what, string body) => new(what, Encoding.UTF8.GetBytes(body), null);

    /// <summary>The valid body with <paramref name="field"/> set to the raw JSON <paramref name="value"/> (first, so it is read first).</summary>
    private static byte[] With(string validBody, string field, string value)
    {
        var body = JsonNode.Parse(validBody)!.AsObject();
        body.Remove(field);
        var rest = body.ToJsonString();
        return Encoding.UTF8.GetBytes($"{{\"{field}\":{value}{(rest == "{}" ? "}" : "," + rest[1..])}");
    }

    private static string Short(string value) => value.Length > 24 ? value[..24] + "…" : value;
}
