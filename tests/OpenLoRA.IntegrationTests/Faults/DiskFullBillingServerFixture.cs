using System.Diagnostics;
using OpenLoRA.IntegrationTests.Billing;

namespace OpenLoRA.IntegrationTests.Faults;

/// <summary>
/// A billing server whose data directory (SQLite file, WAL, chain records) is a 32 MiB tmpfs, so a test can fill the
/// disk for real while a stream runs. Mounted before the server starts and unmounted after it stopped; without root
/// nothing is mounted (the tests that need it are skipped by <see cref="RootFactAttribute"/>).
/// </summary>
public sealed class DiskFullBillingServerFixture : BillingServerFixture, IAsyncLifetime
{
    private const string FillerName = "filler.bin";
    private bool _mounted;

    /// <summary>Fills the data directory's file system to the last byte, as a full disk.</summary>
    public void FillDisk()
    {
        using var filler = new FileStream(Path.Combine(DataDirectory, FillerName), FileMode.Create, FileAccess.Write, FileShare.None, 1);
        foreach (var size in new[] { 1 << 20, 4096, 1 })
        {
            var block = new byte[size];
            try
            {
                while (true)
                {
                    filler.Write(block);
                    filler.Flush();
                }
            }
            catch (IOException)
            {
                // No space left for a block of this size; go on with smaller ones.
            }
        }
    }

    /// <summary>Gives the space back.</summary>
    public void FreeDisk() => File.Delete(Path.Combine(DataDirectory, FillerName));

    async Task IAsyncLifetime.InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        if (RootFactAttribute.IsRoot)
        {
            await RunAsync("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", DataDirectory);
            _mounted = true;
        }

        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        try
        {
            await StopProcessAsync(graceful: false);
        }
        catch (InvalidOperationException)
        {
            // It never started.
        }

        if (_mounted)
        {
            // Lazy: a child that is still exiting must not keep the test from cleaning up.
            await RunAsync("umount", "-l", DataDirectory);
        }

        Dispose();
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
