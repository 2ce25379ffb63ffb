using System.Diagnostics;

namespace OpenLoRA.Chain.Anvil;

/// <summary>
/// A dev chain must never outlive the process that started it. A SIGKILLed server runs no exit handler, and Linux
/// does not kill children with their parent, so anvil is started under a small POSIX <c>sh</c> guard instead: the
/// guard reads its stdin (a pipe whose only writer is this process) and, when it reaches end of file because this
/// process died however it died, sends anvil SIGTERM, which makes anvil write its <c>--state</c> file and exit. The
/// guard forwards SIGTERM too, so <see cref="AnvilProcess.StopAsync"/> keeps working through it, and it exits with
/// anvil's status. PR_SET_PDEATHSIG is not usable from .NET: it fires when the forking thread exits, and
/// Process.Start forks from whatever pool thread runs it. Windows has no sh; anvil runs directly there.
/// </summary>
internal static class AnvilWatchdog
{
    // $0 is anvil's path and "$@" its arguments; fd 3 keeps the pipe for the guard loop only.
    private const string Script = """
        exec 3<&0 0</dev/null
        "$0" "$@" &
        anvil=$!
        trap 'kill -TERM "$anvil" 2>/dev/null' TERM INT HUP
        { while read -r _ <&3; do :; done; kill -TERM "$anvil" 2>/dev/null; } &
        guard=$!
        status=0
        while kill -0 "$anvil" 2>/dev/null; do wait "$anvil"; status=$?; done
        kill "$guard" 2>/dev/null
        exit "$status"
        """;

    public static bool IsSupported => !OperatingSystem.IsWindows() && File.Exists("/bin/sh");

    /// <summary>A start for <paramref name="executable"/> under the guard (or directly where there is no sh).</summary>
    public static ProcessStartInfo StartInfo(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        if (IsSupported)
        {
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Script);
            start.ArgumentList.Add(executable);

            // The pipe's write end stays open in this process (and only here: .NET opens it close-on-exec).
            start.RedirectStandardInput = true;
        }
        else
        {
            start.FileName = executable;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
