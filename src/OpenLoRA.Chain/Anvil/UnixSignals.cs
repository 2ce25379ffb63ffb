using System.Runtime.InteropServices;

namespace OpenLoRA.Chain.Anvil;

/// <summary>
/// Process.Kill sends SIGKILL on Unix, which gives anvil no chance to write its --state file. Stopping with
/// SIGTERM lets it dump state and exit cleanly, which is what a restart on the same state needs.
/// </summary>
internal static partial class UnixSignals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    public static bool TryTerminate(int processId) => Kill(processId, SigTerm) == 0;

    public static bool TryKill(int processId) => Kill(processId, SigKill) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
