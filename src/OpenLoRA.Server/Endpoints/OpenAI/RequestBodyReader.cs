using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>
/// Reads a JSON request body; anything that is not a well-formed object of the right shape is a 400 that names the
/// JSON path and what was expected there. The serializer's own messages name .NET types ("could not be converted to
/// OpenLoRA.Server..."), so they never reach the client: the expectation is read from the contract's metadata instead.
/// </summary>
internal static class RequestBodyReader
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        T? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.BodyReader, typeInfo, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw ToApiException(ex, typeInfo);
        }

        return body ?? throw NotAnObject();
    }

    private static ApiException ToApiException(JsonException ex, JsonTypeInfo root)
    {
        // The serializer wraps the reader's own exception for syntax errors (malformed JSON, invalid UTF-8, nesting
        // past the depth limit of 64): the path there is only where parsing stopped, so no param is named. The
        // reader's messages describe bytes and positions, never types; the check below keeps it that way.
        if (ex.InnerException is JsonException inner)
        {
            return ApiException.InvalidRequest($"We could not parse the JSON body of your request: {Plain(inner.Message) ?? "it is not valid JSON."}", null, "invalid_json");
        }

        var segments = JsonPathSegments.Parse(ex.Path);
        if (segments is null)
        {
            return ApiException.InvalidRequest("We could not parse the JSON body of your request: it is not valid JSON.", null, "invalid_json");
        }

        if (segments.Count == 0)
        {
            return NotAnObject();
        }

        // A well-formed value of the wrong type. Our converters throw messages written for clients; the serializer's
        // start with "The JSON value could not be converted" and name a .NET type, so they are replaced.
        var param = JsonPathSegments.Param(segments);
        var own = ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) ? null : Plain(ex.Message);
        var expected = own ?? $"Expected {JsonContractDescription.Expected(root, segments)}.";
        return ApiException.InvalidRequest($"Invalid type or value for '{param}'. {expected}", param, "invalid_type");
    }

    private static ApiException NotAnObject() =>
        ApiException.InvalidRequest("The request body must be a JSON object.", null, "invalid_json");

    /// <summary>The message without the serializer's "Path: … | LineNumber: …" tail, or null if it names a .NET type.</summary>
    private static string? Plain(string message)
    {
        var tail = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = tail >= 0 ? message[..tail] : message;
        return text.Contains("System.", StringComparison.Ordinal) || text.Contains("OpenLoRA.", StringComparison.Ordinal)
            || text.Contains("Exception", StringComparison.Ordinal) || text.Contains('`', StringComparison.Ordinal)
            ? null
            : text;
    }
}
