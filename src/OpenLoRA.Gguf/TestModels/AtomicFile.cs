namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Writes through a uniquely named temp file in the target folder, then renames it over the target, so readers
/// (and concurrent generators writing the same bytes) never see a half-written model.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<string> writeTo)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTo(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
