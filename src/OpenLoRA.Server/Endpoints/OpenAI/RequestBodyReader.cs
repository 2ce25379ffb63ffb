using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.OpenAI;

/// <summary>Reads a JSON request body; anything that is not a well-formed object of the right shape is a 400.</summary>
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
            throw ToApiException(ex);
        }

        return body ?? throw ApiException.InvalidRequest("The request body must be a JSON object.", null, "invalid_json");
    }

    private static ApiException ToApiException(JsonException ex)
    {
        // The serializer wraps the reader's own exception for syntax errors (malformed JSON, invalid UTF-8, nesting
        // past the depth limit of 64): the path there is only where parsing stopped, so no param is named.
        var param = ParamOf(ex.Path);
        if (ex.InnerException is JsonException || param is null)
        {
            return ApiException.InvalidRequest($"We could not parse the JSON body of your request: {ex.Message}", null, "invalid_json");
        }

        // A well-formed value of the wrong type. The serializer's own message names .NET types, so it is replaced.
        var detail = ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) ? "" : $" {ex.Message}";
        return ApiException.InvalidRequest($"Invalid type or value for '{param}'.{detail}", param, "invalid_type");
    }

    /// <summary><c>$.messages[0].content</c> becomes <c>messages[0].content</c>; the root has no param.</summary>
    private static string? ParamOf(string? path) =>
        path is null || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
