using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using OpenLoRA.Engine.Adapters.Publishing;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// One <c>POST /v1/adapters</c> form, signed by <see cref="Key"/> over the canonical message. The init properties
/// break one thing at a time (a stale timestamp, a wrong claimed hash, no signature) for the refusal tests.
/// </summary>
internal sealed record SignedUpload(string Name, byte[] Weights, PublisherKey Key)
{
    public string BaseModel { get; init; } = TestModels.BaseModel;

    public string PriceInput { get; init; } = "0.002";

    public string PriceOutput { get; init; } = "0.004";

    public string? Description { get; init; } = "uploaded by a test";

    public long Timestamp { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>
    /// The chain id the text names; null asks the server (<c>GET /v1/chain</c>) when sent through
    /// <see cref="AdapterApi.UploadAsync"/>, and reads as 0 (the chain off) before that.
    /// </summary>
    public ulong? ChainId { get; init; }

    /// <summary>The <c>publisher</c> field; <see cref="Key"/>'s address unless a test lies; null sends none.</summary>
    public string? Publisher { get; init; } = Key.Address;

    /// <summary>The <c>timestamp</c> field as sent; <see cref="Timestamp"/> in decimal unless a test spells it otherwise.</summary>
    public string? TimestampText { get; init; }

    /// <summary>The <c>sha256</c> field; the real hash of <see cref="Weights"/> unless a test lies.</summary>
    public string? ClaimedSha256 { get; init; }

    /// <summary>Replaces the canonical message, for signing something else.</summary>
    public string? MessageOverride { get; init; }

    /// <summary>The part <see cref="Weights"/> go in: <c>file</c> (GGUF) or <c>adapter_model.safetensors</c> (PEFT).</summary>
    public string WeightsPart { get; init; } = "file";

    /// <summary>Sent as <c>adapter_config.json</c> when set.</summary>
    public byte[]? PeftConfig { get; init; }

    /// <summary>The weights part's file name; the adapter's name unless a test sends names no header can carry.</summary>
    public string? FileName { get; init; }

    public bool Signed { get; init; } = true;

    /// <summary>Sent as the <c>signature</c> field as is, instead of signing <see cref="Message"/>.</summary>
    public string? RawSignature { get; init; }

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Weights));

    public string Message => MessageOverride
        ?? PublisherMessages.Upload(new PublisherIdentity(Key.Address, ChainId ?? 0), Sha256, Name, BaseModel, PriceInput, PriceOutput, Timestamp);

    public MultipartFormDataContent ToContent()
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(Name), "name" },
            { new StringContent(BaseModel), "base_model" },
            { new StringContent(PriceInput), "price_input_per_1k" },
            { new StringContent(PriceOutput), "price_output_per_1k" },
            { new StringContent(ClaimedSha256 ?? Sha256), "sha256" },
            { new StringContent(TimestampText ?? Timestamp.ToString(CultureInfo.InvariantCulture)), "timestamp" },
        };
        if (Publisher is not null)
        {
            form.Add(new StringContent(Publisher), "publisher");
        }

        if (Description is not null)
        {
            form.Add(new StringContent(Description), "description");
        }

        if (RawSignature is not null || Signed)
        {
            form.Add(new StringContent(RawSignature ?? Key.Sign(Message)), "signature");
        }

        form.Add(Bytes(Weights), WeightsPart, FileName ?? (WeightsPart == "file" ? $"{Name}.gguf" : WeightsPart));
        if (PeftConfig is not null)
        {
            form.Add(Bytes(PeftConfig), "adapter_config.json", "adapter_config.json");
        }

        return form;
    }

    /// <summary>A PEFT upload of the two files of a PEFT adapter folder.</summary>
    public static SignedUpload Peft(string name, string safetensorsPath, string configPath, PublisherKey key) =>
        new(name, File.ReadAllBytes(safetensorsPath), key) { WeightsPart = "adapter_model.safetensors", PeftConfig = File.ReadAllBytes(configPath) };

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
