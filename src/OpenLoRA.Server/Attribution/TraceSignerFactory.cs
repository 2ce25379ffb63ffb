using Microsoft.Extensions.Options;
using Nethereum.Signer;
using OpenLoRA.Attribution;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Engine.Storage;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// The server's trace-signing key: a keystore file or a key from configuration (environment in production), or, in
/// development, one generated on first start into the data directory (owner read/write only). Only the address is
/// ever logged.
/// </summary>
internal static class TraceSignerFactory
{
    public const string DevelopmentKeyFile = "attribution-signer.key";

    public static TraceSigner Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AttributionOptions>>().Value;
        var server = services.GetRequiredService<IOptions<AttributionServerOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<TraceSigner>>();
        TraceSigner signer;
        if (!string.IsNullOrEmpty(options.SignerKeystorePath))
        {
            signer = TraceSigner.FromKeystoreFile(options.SignerKeystorePath, options.SignerKeystorePassword ?? "");
        }
        else if (!string.IsNullOrEmpty(options.SignerPrivateKey))
        {
            signer = TraceSigner.FromPrivateKey(options.SignerPrivateKey);
        }
        else if (server.GenerateDevelopmentSigner)
        {
            var dataDirectory = Path.GetDirectoryName(services.GetRequiredService<SqliteDatabase>().Path)!;
            signer = TraceSigner.FromPrivateKey(LoadOrCreateDevelopmentKey(Path.Combine(dataDirectory, DevelopmentKeyFile)));
        }
        else
        {
            throw new InvalidOperationException(
                "No trace-signing key: set OpenLoRA:Attribution:SignerKeystorePath (+ SignerKeystorePassword) or OpenLoRA:Attribution:SignerPrivateKey, or enable GenerateDevelopmentSigner.");
        }

        logger.LogInformation("Attribution traces are signed by {Address}", signer.Address);
        return signer;
    }

    private static string LoadOrCreateDevelopmentKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = EthECKey.GenerateKey().GetPrivateKey();
        var temporary = path + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
        return key;
    }
}
