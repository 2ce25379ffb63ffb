using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// The content-addressed adapter files: <c>&lt;dir&gt;/&lt;sha256&gt;.gguf</c>, immutable once placed, and
/// <c>&lt;dir&gt;/tmp</c> for uploads in flight (same file system, so placing is an atomic rename). A file only
/// matters while a live registry row names it; the rest is collected at start, never while serving, because queued
/// and running sequences may still load the exact bytes of a version that was just replaced or deleted.
/// </summary>
internal sealed class AdapterStore
{
    private const string Extension = ".gguf";
    private readonly ILogger _logger;

    public AdapterStore(string directory, ILogger logger)
    {
        Directory = Path.GetFullPath(directory);
        TempDirectory = Path.Combine(Directory, "tmp");
        _logger = logger;
    }

    public string Directory { get; }

    public string TempDirectory { get; }

    public string PathOf(string sha256) => Path.Combine(Directory, sha256 + Extension);

    /// <summary>True when <paramref name="path"/> lies directly in <see cref="TempDirectory"/>.</summary>
    public bool IsTempFile(string path) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), TempDirectory, StringComparison.Ordinal);

    /// <summary>
    /// Start-up: creates the folders, deletes every temp file (uploads cut off by the last stop) and every store
    /// file whose hash is not in <paramref name="live"/> (replaced, deleted, or placed by a publish that crashed
    /// before its commit).
    /// </summary>
    public void CollectGarbage(IReadOnlySet<string> live)
    {
        System.IO.Directory.CreateDirectory(TempDirectory);
        foreach (var file in System.IO.Directory.EnumerateFiles(TempDirectory))
        {
            TryDelete(file);
        }

        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension))
        {
            if (!live.Contains(Path.GetFileNameWithoutExtension(file)) && TryDelete(file))
            {
                removed++;
            }
        }

        _logger.LogInformation("Adapter store {Directory}: {Live} live adapters, {Removed} unreferenced files removed", Directory, live.Count, removed);
    }

    /// <summary>
    /// fsyncs the upload (so a committed row can never name a file whose bytes are still only in the page cache)
    /// and hashes it as it is now on disk, whatever the uploader computed while streaming.
    /// </summary>
    public static async Task<string> SyncAndHashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        stream.Flush(flushToDisk: true);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Renames the temp file to its hash's path and fsyncs the folder. Returns false when that path already holds
    /// the content (a live or a retired version): the bytes are identical by construction, so it is kept.
    /// </summary>
    public bool Place(string tempPath, string sha256)
    {
        var target = PathOf(sha256);
        try
        {
            File.Move(tempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }

        if (!DirectorySync.TryFlush(Directory))
        {
            _logger.LogDebug("Could not fsync {Directory}; the rename of {Sha256} is durable once the file system commits it", Directory, sha256);
        }

        return true;
    }

    /// <summary>Undoes a <see cref="Place"/> whose commit was refused; only for a file that no live row names.</summary>
    public void Discard(string sha256) => TryDelete(PathOf(sha256));

    public bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Could not delete {Path}", path);
            return false;
        }
    }
}
