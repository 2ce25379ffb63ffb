using Nethereum.KeyStore;
using OpenLoRA.Chain.Anvil;

namespace OpenLoRA.Chain;

/// <summary>
/// Finds the submitter's private key: the environment variable first, then the keystore file, then (local mode
/// only) anvil's first dev key. The key is returned to the caller and never logged or put in an exception.
/// </summary>
internal static class SubmitterKeySource
{
    public static string Resolve(ChainOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SubmitterKeyEnvironmentVariable)
            && Environment.GetEnvironmentVariable(options.SubmitterKeyEnvironmentVariable) is { Length: > 0 } key)
        {
            return key.Trim();
        }

        if (!string.IsNullOrWhiteSpace(options.SubmitterKeystorePath))
        {
            var password = Environment.GetEnvironmentVariable(options.SubmitterKeystorePasswordEnvironmentVariable)
                ?? throw new InvalidOperationException(
                    $"The keystore password variable {options.SubmitterKeystorePasswordEnvironmentVariable} is not set.");
            var json = File.ReadAllText(options.SubmitterKeystorePath);
            var privateKey = new KeyStoreService().DecryptKeyStoreFromJson(password, json);
            return "0x" + Convert.ToHexStringLower(privateKey);
        }

        if (options.Mode == ChainMode.Local)
        {
            return AnvilDevAccounts.PrivateKeys[0];
        }

        throw new InvalidOperationException(
            $"No submitter key: set {options.SubmitterKeyEnvironmentVariable} or SubmitterKeystorePath.");
    }
}
