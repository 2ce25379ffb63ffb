using System.Diagnostics;
using System.Globalization;

namespace OpenLoRA.Chain.Anvil;

/// <summary>
/// Before anvil starts on a state file, any process still running on that same file (an anvil, or the guard of
/// <see cref="AnvilWatchdog"/>, left by a server that was killed a moment ago, or by a version without the guard) is
/// asked to stop with SIGTERM and waited for, so it writes the state it holds and the new anvil loads that state.
/// Two nodes on one state file would each overwrite the other's blocks at exit: a committed batch could vanish.
/// Linux only (it reads /proc); elsewhere nothing is found.
/// </summary>
internal static class AnvilPredecessors
{
    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Ends every process whose command line runs on <paramref name="statePath"/>; returns their ids.</summary>
    public static async Task<IReadOnlyList<int>> EndAsync(string statePath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var found = Find(statePath);
        foreach (var pid in found)
        {
            UnixSignals.TryTerminate(pid);
        }

        var deadline = Stopwatch.StartNew();
        while (found.Any(IsAlive))
        {
            if (deadline.Elapsed > timeout)
            {
                foreach (var pid in found.Where(IsAlive))
                {
                    UnixSignals.TryKill(pid);
                }

                break;
            }

            // Another program's exit cannot be awaited; it is polled, within the stop timeout.
            await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    private static List<int> Find(string statePath)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return found;
        }

        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            if (RunsOn(Path.Combine(directory, "cmdline"), statePath))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>True when the arguments hold <c>--state</c> followed by exactly <paramref name="statePath"/>.</summary>
    private static bool RunsOn(string cmdlinePath, string statePath)
    {
        string[] arguments;
        try
        {
            arguments = File.ReadAllText(cmdlinePath).Split('\0');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process exited while the directory was listed, or is not ours to read.
            return false;
        }

        for (var i = 0; i + 1 < arguments.Length; i++)
        {
            if (arguments[i] == "--state" && arguments[i + 1] == statePath)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            // A zombie still has a /proc entry but state Z; it holds no file and no port.
            var status = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = status[(status.LastIndexOf(')') + 2)..];
            return !state.StartsWith('Z');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
