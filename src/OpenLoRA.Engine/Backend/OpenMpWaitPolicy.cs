using System.Runtime.InteropServices;

namespace OpenLoRA.Engine.Backend;

/// <summary>
/// The shipped CPU libraries (libggml-cpu.so links libgomp) synchronise their threads with an OpenMP barrier after
/// every graph node, and libgomp's default lets a waiting thread spin (GOMP_SPINCOUNT 300,000) before it sleeps. On a
/// small machine shared with Kestrel, SSE writers and other processes, a spinner holds a core the thread it waits for
/// needs: 32 decodes of the bench model took 3.2 times as long as with OMP_WAIT_POLICY=passive (docs/GGML-BACKEND.md,
/// "Step efficiency"). libgomp reads the variables once, when it is loaded (with libllama), so they are put into the
/// native environment before LLamaSharp loads anything. An operator's own OMP_WAIT_POLICY or GOMP_SPINCOUNT wins.
/// </summary>
internal static partial class OpenMpWaitPolicy
{
    public const string Default = "PASSIVE";

    /// <summary>Sets OMP_WAIT_POLICY=PASSIVE unless the process already has a policy; true when it set it.</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux()
            || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null
            || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null)
        {
            return false;
        }

        Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", Default);

        // Environment.SetEnvironmentVariable changes only .NET's copy on Unix; libgomp reads the C environment.
        return setenv("OMP_WAIT_POLICY", Default, 0) == 0;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
