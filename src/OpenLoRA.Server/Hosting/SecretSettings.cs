using Microsoft.Extensions.Configuration.Json;

namespace OpenLoRA.Server.Hosting;

/// <summary>
/// Secrets come from the environment, the command line or an encrypted keystore file, never from appsettings files
/// (they end up in images and repositories). A secret found in a JSON configuration file stops the server on start
/// with a message that names the key and where to put it instead.
/// </summary>
internal static class SecretSettings
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "OpenLoRA:Attribution:SignerPrivateKey",
        "OpenLoRA:Attribution:SignerKeystorePassword",
    ];

    public static void EnsureNotInFiles(IConfigurationRoot configuration)
    {
        foreach (var key in Keys)
        {
            // The last provider with a value wins, as in configuration binding.
            var source = configuration.Providers.LastOrDefault(p => p.TryGet(key, out var value) && !string.IsNullOrEmpty(value));
            if (source is JsonConfigurationProvider json)
            {
                throw new InvalidOperationException(
                    $"{key} is set in {json.Source.Path}; secrets must come from the environment (OpenLoRA__{key["OpenLoRA:".Length..].Replace(":", "__", StringComparison.Ordinal)}) " +
                    "or, for the signing key, an encrypted keystore file (OpenLoRA:Attribution:SignerKeystorePath).");
            }
        }
    }
}
