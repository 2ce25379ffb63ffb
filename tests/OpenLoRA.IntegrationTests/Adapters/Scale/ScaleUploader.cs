using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Nethereum.Signer;
using OpenLoRA.Engine.Adapters.Publishing;

namespace OpenLoRA.IntegrationTests.Adapters.Scale;

/// <summary>Uploads adapter files through POST /v1/adapters, signed by one publisher key.</summary>
internal sealed class ScaleUploader(HttpClient http, EthECKey key, TimeProvider time)
{
    private readonly EthereumMessageSigner _signer = new();

    public async Task<string> UploadAsync(string path, string name, string baseModel, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, cancellationToken)));
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var publisher = key.GetPublicAddress().ToLowerInvariant();
        var message = PublisherMessages.Upload(new PublisherIdentity(publisher, 0), sha256, name, baseModel, "0.01", "0.02", timestamp);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent(baseModel), "base_model" },
            { new StringContent("0.01"), "price_input_per_1k" },
            { new StringContent("0.02"), "price_output_per_1k" },
            { new StringContent(sha256), "sha256" },
            { new StringContent(timestamp.ToString(CultureInfo.InvariantCulture)), "timestamp" },
            { new StringContent(_signer.EncodeUTF8AndSign(message, key)), "signature" },
            { new StringContent(publisher), "publisher" },
        };
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", Path.GetFileName(path));

        using var response = await http.PostAsync("/v1/adapters", form, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"upload of {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return sha256;
    }
}
