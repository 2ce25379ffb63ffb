namespace OpenLoRA.IntegrationTests.Adapters.Scale;

/// <summary>Resident set size of a process, from /proc (Linux).</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kilobytes * 1024;
            }
        }

        throw new InvalidOperationException($"No VmRSS for process {processId}.");
    }
}
