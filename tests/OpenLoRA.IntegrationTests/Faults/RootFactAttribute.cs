namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>A fact that needs root (it mounts a tmpfs): skipped with the reason when the tests run as another user.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot)
        {
            Skip = "Needs root to mount a small tmpfs (mount -t tmpfs -o size=32m) as the server's data directory; run the tests as root to include it.";
        }
    }

    /// <summary>The effective user id is 0 (the second field of the <c>Uid:</c> line of /proc/self/status).</summary>
    public static bool IsRoot
    {
        get
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            var uid = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return uid?.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, "0", ..];
        }
    }
}
