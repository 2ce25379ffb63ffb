using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OpenLoRA.Engine.Models;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Adapters;

/// <summary>
/// Reads a folder of adapter files at start. Every file passes <see cref="AdapterValidator"/> against its base
/// model before llama.cpp may see it, and its rank must fit the backend (<see cref="AdapterRankLimit"/>); a file that
/// fails either is skipped with its reason logged, never fatal and never served to fail at load.
/// </summary>
internal sealed class AdapterFolderScanner(ILogger logger)
{
    public IReadOnlyList<AdapterInfo> Scan(string directory, BaseModelInfo baseModel)
    {
        var baseModelName = baseModel.Name;
        if (!Directory.Exists(directory))
        {
            logger.LogWarning("Adapter folder {Directory} for {Model} does not exist", directory, baseModelName);
            return [];
        }

        var shapes = BaseModelShapes.FromFile(baseModel.Path);
        var adapters = new List<AdapterInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, "*.gguf").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            try
            {
                var result = AdapterValidator.Validate(path, shapes);
                if (!result.IsValid)
                {
                    logger.LogWarning("Skipping adapter {Path}: {Reason}", path, result.Reason);
                    continue;
                }

                if (AdapterRankLimit.Check(baseModel, result.Rank) is { } tooHigh)
                {
                    logger.LogWarning("Skipping adapter {Path}: {Reason}", path, tooHigh);
                    continue;
                }

                var sha256 = HashFile(path);
                if (!names.Add(name) || !hashes.Add(sha256))
                {
                    logger.LogWarning("Skipping adapter {Path}: its name or content duplicates another adapter", path);
                    continue;
                }

                adapters.Add(new AdapterInfo(
                    name, sha256, baseModelName, Path.GetFullPath(path), result.Rank, result.Alpha, result.Targets,
                    new FileInfo(path).Length, new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero)));
            }
            catch (IOException ex)
            {
                logger.LogWarning("Skipping adapter {Path}: {Reason}", path, ex.Message);
            }
        }

        logger.LogInformation("{Count} adapters registered for {Model} from {Directory}", adapters.Count, baseModelName, directory);
        return adapters;
    }

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
