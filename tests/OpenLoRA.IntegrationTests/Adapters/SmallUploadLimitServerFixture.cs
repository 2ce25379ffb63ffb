namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// Uploads capped at 12,000 bytes (between the tiny rank-2 adapter, 10,304 bytes, and the rank-4 one, 15,648), and
/// every other request body at 8,192 bytes, less than an accepted upload: the upload route must lift the global limit.
/// </summary>
public sealed class SmallUploadLimitServerFixture : AdapterServerFixture
{
    public const long MaxAdapterBytes = 12_000;

    public const long MaxRequestBodyBytes = 8_192;

    protected override IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides =>
    [
        new("OpenLoRA:Engine:MaxAdapterBytes", MaxAdapterBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("OpenLoRA:Server:MaxRequestBodyBytes", MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
