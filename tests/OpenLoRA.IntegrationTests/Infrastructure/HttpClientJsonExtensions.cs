using System.Net.Http.Headers;
using System.Text;

namespace OpenLoRA.IntegrationTests.Infrastructure;

internal static class HttpClientJsonExtensions
{
    /// <summary>POSTs <paramref name="json"/> exactly as given (the tests send malformed bodies on purpose).</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, string json) =>
        http.PostBytesAsync(path, Encoding.UTF8.GetBytes(json));

    public static Task<HttpResponseMessage> PostBytesAsync(this HttpClient http, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return http.PostAsync(path, content);
    }
}
