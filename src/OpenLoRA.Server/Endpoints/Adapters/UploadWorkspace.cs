namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// The temp files of one upload, all inside the publisher's temp directory (the store's file system, so publishing
/// is a rename). Disposing deletes every one that is still there, so no failure path leaves a file behind; a file the
/// publisher has taken is already renamed away by then.
/// </summary>
internal sealed class UploadWorkspace(string directory, ILogger logger) : IDisposable
{
    private readonly string _prefix = $"upload-{Guid.NewGuid():N}";
    private readonly List<string> _files = [];

    /// <summary>A new path for this upload; <paramref name="suffix"/> tells what it holds, for whoever lists the folder.</summary>
    public string NewPath(string suffix)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{_prefix}-{suffix}");
        _files.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var path in _files)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not delete the upload temp file {Path}", path);
            }
        }
    }
}
