using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Http;

/// <summary>Writes a JSON body straight into the response pipe with the source-generated serializers.</summary>
internal static class JsonResponse
{
    /// <summary>
    /// Non-ASCII text stays raw UTF-8 instead of <c>\uXXXX</c> escapes (a third of the bytes for CJK output, and what
    /// OpenAI sends). The relaxed encoder is only unsafe for JSON pasted into HTML, which API bodies never are.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync<T>(HttpResponse response, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        // No cancellation token: a flush to a client that has gone completes instead of throwing, and a slow reader
        // is bounded by Kestrel's minimum response data rate.
        await response.BodyWriter.FlushAsync();
    }

    public static Task WriteErrorAsync(HttpResponse response, int statusCode, OpenAIError error) =>
        WriteAsync(response, statusCode, new OpenAIErrorResponse(error), ServerJsonContext.Default.OpenAIErrorResponse);
}
