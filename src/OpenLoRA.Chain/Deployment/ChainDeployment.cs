using System.Text.Json;

namespace OpenLoRA.Chain.Deployment;

/// <summary>
/// Where the OpenLoRA contracts live on one chain. Saved as chain-deployment.json in the data directory so a local
/// node can be redeployed once and found again on the next start.
/// </summary>
public sealed record ChainDeployment(
    ulong ChainId,
    string TokenAddress,
    string RegistryAddress,
    string EscrowAddress,
    ulong DeployBlock,
    string Deployer,
    string Operator)
{
    public const string FileName = "chain-deployment.json";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Writes the file atomically (temp file then rename) so a crash never leaves half a deployment.</summary>
    public async Task SaveAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = PathIn(dataDirectory);
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, this, _json, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The saved deployment, or null when the data directory has none.</summary>
    public static async Task<ChainDeployment?> TryLoadAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ChainDeployment>(stream, _json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"'{path}' is empty.");
    }
}
