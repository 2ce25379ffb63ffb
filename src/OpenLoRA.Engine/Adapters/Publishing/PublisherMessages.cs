using System.Globalization;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// The canonical texts a publisher signs (EIP-191 <c>personal_sign</c>) to upload or delete an adapter. The server
/// and the CLI build them here so the two can never drift: UTF-8, <c>\n</c> line ends, no trailing newline, every
/// value exactly as sent (prices keep the digits the client typed, so nobody has to agree on a decimal format).
/// </summary>
public static class PublisherMessages
{
    public const string UploadTitle = "OpenLoRA adapter upload";

    public const string DeleteTitle = "OpenLoRA adapter delete";

    public const string DatanetTitle = "OpenLoRA datanet upload";

    /// <param name="sha256">Lower-case hex of the uploaded weights file (the .gguf, or adapter_model.safetensors for PEFT).</param>
    public static string Upload(string sha256, string name, string baseModel, string priceInputPer1K, string priceOutputPer1K, long timestamp) =>
        string.Join(
            '\n',
            UploadTitle,
            $"sha256: {sha256}",
            $"name: {name}",
            $"base_model: {baseModel}",
            $"price_input_per_1k: {priceInputPer1K}",
            $"price_output_per_1k: {priceOutputPer1K}",
            $"timestamp: {timestamp.ToString(CultureInfo.InvariantCulture)}");

    /// <param name="id">The sha256 or name exactly as it appears in the URL.</param>
    public static string Delete(string id, long timestamp) =>
        string.Join('\n', DeleteTitle, $"id: {id}", $"timestamp: {timestamp.ToString(CultureInfo.InvariantCulture)}");

    /// <param name="adapterSha256">The adapter's sha256 (lower-case hex), whatever id the URL used.</param>
    /// <param name="datanetSha256">Lower-case hex sha256 of the JSONL body exactly as sent.</param>
    public static string DatanetUpload(string adapterSha256, string datanetSha256, long timestamp) =>
        string.Join(
            '\n',
            DatanetTitle,
            $"adapter: {adapterSha256}",
            $"datanet_sha256: {datanetSha256}",
            $"timestamp: {timestamp.ToString(CultureInfo.InvariantCulture)}");
}
