using System.Diagnostics;
using System.Globalization;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// The server's own anvil, found among the server process's descendants by its port, so a test can freeze it
/// (SIGSTOP: the endpoint stops answering, as a node that went away) and let it go on (SIGCONT).
/// </summary>
internal static class ChainFaultProcesses
{
    public static IReadOnlyList<int> AnvilOf(int serverPid, string rpcUrl)
    {
        var port = new Uri(rpcUrl).Port.ToString(CultureInfo.InvariantCulture);
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(Path.Combine(directory, "stat")) is { } stat)
            {
                // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var anvils = new List<int>();
        foreach (var pid in parents.Keys)
        {
            if (DescendsFrom(pid, serverPid, parents)
                && TryRead($"/proc/{pid}/cmdline") is { } cmdline
                && cmdline.Split('\0') is var args
                && args.Any(a => a.Contains("anvil", StringComparison.Ordinal))
                && args.Contains(port))
            {
                anvils.Add(pid);
            }
        }

        Assert.True(anvils.Count > 0, $"No anvil on port {port} under server process {serverPid}.");
        return anvils;
    }

    public static Task FreezeAsync(IEnumerable<int> pids) => SignalAsync("-STOP", pids);

    public static Task ThawAsync(IEnumerable<int> pids) => SignalAsync("-CONT", pids);

    private static async Task SignalAsync(string signal, IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }
    }

    private static bool DescendsFrom(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var current = pid; parents.TryGetValue(current, out var parent) && parent > 1; current = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
