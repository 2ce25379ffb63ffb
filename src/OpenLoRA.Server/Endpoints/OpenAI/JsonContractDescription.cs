using System.Text.Json.Serialization.Metadata;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// What a request contract expects at a JSON path, in words a client understands ("an integer", "an array of
/// objects"), read from the serializer's metadata so it can never drift from the contract.
/// </summary>
internal static class JsonContractDescription
{
    public static string Expected(JsonTypeInfo root, IReadOnlyList<object> segments) =>
        TypeAt(root, segments) is { } type ? Describe(type, root) : "a value of another type";

    private static Type? TypeAt(JsonTypeInfo root, IReadOnlyList<object> segments)
    {
        Type? type = root.Type;
        foreach (var segment in segments)
        {
            type = segment switch
            {
                int => ElementType(root, type!),
                string name => Info(root, type!)?.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType,
                _ => null,
            };
            if (type is null)
            {
                return null;
            }
        }

        return type;
    }

    private static string Describe(Type type, JsonTypeInfo root)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong))
        {
            return "an integer";
        }

        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal))
        {
            return "a number";
        }

        if (ElementType(root, type) is { } element)
        {
            var inner = Describe(element, root);
            return inner.StartsWith("an ", StringComparison.Ordinal) || inner.StartsWith("a ", StringComparison.Ordinal)
                ? "an array of " + Plural(inner)
                : "an array";
        }

        return Info(root, type) is { Kind: JsonTypeInfoKind.Object } ? "an object" : "a value of another type";
    }

    private static string Plural(string noun) => noun switch
    {
        "a string" => "strings",
        "an integer" => "integers",
        "a number" => "numbers",
        "an object" => "objects",
        "true or false" => "booleans",
        _ => "values",
    };

    private static Type? ElementType(JsonTypeInfo root, Type type) =>
        Info(root, type) is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element } ? element : null;

    private static JsonTypeInfo? Info(JsonTypeInfo root, Type type)
    {
        try
        {
            return root.Options.GetTypeInfo(type);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
