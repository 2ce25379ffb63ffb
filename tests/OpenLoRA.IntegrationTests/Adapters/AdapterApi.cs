using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenLoRA.Engine.Adapters.Publishing;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>The adapter publishing API over raw HTTP.</summary>
internal static class AdapterApi
{
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient http, SignedUpload upload)
    {
        if (upload.ChainId is null && upload.MessageOverride is null && upload.RawSignature is null)
        {
            upload = upload with { ChainId = await http.ChainIdAsync() };
        }

        using var content = upload.ToContent();
        return await http.PostAsync("/v1/adapters", content);
    }

    /// <summary>Uploads and requires 201; returns the adapter JSON.</summary>
    public static async Task<JsonElement> PublishAsync(this HttpClient http, SignedUpload upload)
    {
        using var response = await http.UploadAsync(upload);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload of {upload.Name}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> DeleteAdapterAsync(this HttpClient http, string id, PublisherKey key, long? timestamp = null, ulong chainId = 0) =>
        http.SendAsync(DeleteRequest(id, key, timestamp, chainId));

    /// <summary>A DELETE signed by <paramref name="key"/> for the chain id <paramref name="chainId"/>.</summary>
    public static HttpRequestMessage DeleteRequest(string id, PublisherKey key, long? timestamp = null, ulong chainId = 0)
    {
        var seconds = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/adapters/{Uri.EscapeDataString(id)}");
        request.Headers.Add("OpenLoRA-Signature", key.Sign(PublisherMessages.Delete(new PublisherIdentity(key.Address, chainId), id, seconds)));
        request.Headers.Add("OpenLoRA-Timestamp", seconds.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("OpenLoRA-Publisher", key.Address);
        return request;
    }

    /// <summary>The chain id the server's publisher messages name.</summary>
    public static async Task<ulong> ChainIdAsync(this HttpClient http) => (await http.GetJsonAsync("/v1/chain")).GetProperty("chain_id").GetUInt64();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The <c>data</c> array of a list response.</summary>
    public static async Task<List<JsonElement>> ListAsync(this HttpClient http, string path) =>
        [.. (await http.GetJsonAsync(path)).GetProperty("data").EnumerateArray()];
}
