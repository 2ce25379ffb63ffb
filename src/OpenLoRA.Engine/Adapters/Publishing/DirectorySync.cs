using System.Runtime.InteropServices;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>
/// fsync of a directory, which makes a rename into it durable. .NET cannot open a directory as a file handle, so
/// this goes to libc on Linux and macOS. Windows has no equivalent call and NTFS journals the rename's metadata
/// itself. Without it a power cut right after a publish could lose the rename but keep the committed row: the
/// adapter would then be skipped at start as "file missing", never served half-written.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; false when the platform or the call refused.</summary>
    public static bool TryFlush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        try
        {
            return FlushWithLibc(directory);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc under another name (some musl images): the rename is then as durable as the file system makes it.
            return false;
        }
    }

    private static bool FlushWithLibc(string directory)
    {
        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            return false;
        }

        try
        {
            return Fsync(descriptor) == 0;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
