using System.Net;
using System.Text.Json;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>Checks OpenAI's error shape: <c>{"error":{"message","type","param","code"}}</c>, all four keys present.</summary>
internal static class ErrorAssert
{
    public const string InvalidRequest = "invalid_request_error";

    public static async Task<JsonElement> IsErrorAsync(
        HttpResponseMessage response, HttpStatusCode status, string? param = null, string? code = null, string type = InvalidRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = IsErrorObject(body);
        Assert.Equal(type, error.GetProperty("type").GetString());
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }

        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }

        return error;
    }

    /// <summary>Parses <paramref name="json"/> and returns its <c>error</c> object after checking the shape.</summary>
    public static JsonElement IsErrorObject(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["error"], root.EnumerateObject().Select(p => p.Name));
        var error = root.GetProperty("error").Clone();
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.Contains(error.GetProperty("param").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
        Assert.Contains(error.GetProperty("code").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
        return error;
    }
}
