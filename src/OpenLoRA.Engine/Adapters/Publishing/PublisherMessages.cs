using System.Globalization;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// Every text a publisher signs (EIP-191 <c>personal_sign</c>): upload, delete, Datanet upload. This is the one list
/// of signed publisher actions; <see cref="Titles"/> names them all, and the replay test walks that list, so an action
/// added here without a replay guard fails it. The server and the CLI build the texts here so the two can never
/// drift: UTF-8, <c>\n</c> line ends, no trailing newline. Each text starts with its title, then the publisher's
/// address (lower-case 0x hex) and the chain id, so a signature made for another signer, another chain or another
/// action can never verify: the server rebuilds the text from the request, recovers the signer from the signature
/// over exactly that text, and refuses the request (naming the text) unless the signer is the declared publisher.
/// Other values appear exactly as sent (prices keep the digits the client typed), except the timestamp, which is
/// written as its decimal value without leading zeros.
/// </summary>
public static class PublisherMessages
{
    public const string UploadTitle = "OpenLoRA adapter upload";

    public const string DeleteTitle = "OpenLoRA adapter delete";

    public const string DatanetTitle = "OpenLoRA datanet upload";

    /// <summary>Every signed publisher action. Each records its signature as used in the transaction it authorises.</summary>
    public static IReadOnlyList<string> Titles { get; } = [UploadTitle, DeleteTitle, DatanetTitle];

    /// <param name="signer">Who signs: the publisher's address and the chain id.</param>
    /// <param name="sha256">Lower-case hex of the uploaded weights file (the .gguf, or adapter_model.safetensors for PEFT).</param>
    public static string Upload(
        PublisherIdentity signer, string sha256, string name, string baseModel, string priceInputPer1K, string priceOutputPer1K, long timestamp) =>
        Text(
            UploadTitle,
            signer,
            timestamp,
            $"sha256: {sha256}",
            $"name: {name}",
            $"base_model: {baseModel}",
            $"price_input_per_1k: {priceInputPer1K}",
            $"price_output_per_1k: {priceOutputPer1K}");

    /// <param name="id">The sha256 or name exactly as it appears in the URL.</param>
    public static string Delete(PublisherIdentity signer, string id, long timestamp) =>
        Text(DeleteTitle, signer, timestamp, $"id: {id}");

    /// <param name="adapterSha256">The adapter's sha256 (lower-case hex), whatever id the URL used.</param>
    /// <param name="datanetSha256">Lower-case hex sha256 of the JSONL body exactly as sent.</param>
    public static string DatanetUpload(PublisherIdentity signer, string adapterSha256, string datanetSha256, long timestamp) =>
        Text(DatanetTitle, signer, timestamp, $"adapter: {adapterSha256}", $"datanet_sha256: {datanetSha256}");

    private static string Text(string title, PublisherIdentity signer, long timestamp, params string[] fields) =>
        string.Join(
            '\n',
            [
                title,
                $"publisher: {signer.Address}",
                $"chain_id: {signer.ChainId.ToString(CultureInfo.InvariantCulture)}",
                .. fields,
                $"timestamp: {timestamp.ToString(CultureInfo.InvariantCulture)}",
            ]);
}
