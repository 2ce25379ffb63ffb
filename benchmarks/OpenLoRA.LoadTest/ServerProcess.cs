using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenLoRA.LoadTest;

/// <summary>
/// An OpenLoRA server started by the load generator (for policy comparisons in one run): <c>dotnet
/// OpenLoRA.Server.dll</c> on a free loopback port in its own working directory, ready once <c>/health</c> answers
/// 200, killed with its process tree on dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly Process _process;
    private readonly string _workDirectory;
    private readonly Queue<string> _log = new();

    private ServerProcess(Process process, string workDirectory, Uri address)
    {
        _process = process;
        _workDirectory = workDirectory;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server built beside the load generator (the project references it).</summary>
    public static string DefaultDll => Path.Combine(AppContext.BaseDirectory, "OpenLoRA.Server.dll");

    public static async Task<ServerProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var workDirectory = Directory.CreateTempSubdirectory("openlora-loadtest-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.ArgumentList.Add($"--OpenLoRA:Engine:DataDirectory={Path.Combine(workDirectory, "data")}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, workDirectory, address);
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the OS temp cleaner takes it later.
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{RecentOutput()}");
            }

            try
            {
                using var response = await http.GetAsync("/health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet, or still loading the models.
            }

            if (elapsed.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The server was not ready after {StartTimeout}:{Environment.NewLine}{RecentOutput()}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > 200)
            {
                _log.Dequeue();
            }
        }
    }

    private string RecentOutput()
    {
        lock (_log)
        {
            return string.Join(Environment.NewLine, _log);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
