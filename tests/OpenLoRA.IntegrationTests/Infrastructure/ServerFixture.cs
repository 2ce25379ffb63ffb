using System.Diagnostics;
using System.Net;
using OpenAI.Chat;
using OpenAI.Models;

namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>
/// Starts the real server (<c>dotnet OpenLoRA.Server.dll</c>) as a child process on a free loopback port, with its
/// own working directory so the test models are generated there, and waits until <c>/health</c> answers 200.
/// Derive and override <see cref="ConfigurationOverrides"/> for another configuration.
/// </summary>
public class ServerFixture : IAsyncLifetime, IDisposable, ITestServer
{
    /// <summary>Tries when the port picked was taken by someone else before the server bound it.</summary>
    private const int StartAttempts = 3;

    private static readonly TimeSpan HealthPollTimeout = TimeSpan.FromSeconds(5);

    private readonly BoundedLog _log = new(capacity: 400);
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("openlora-server-").FullName;
    private Process? _process;
    private HttpClient? _http;
    private Uri? _baseAddress;

    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Http => _http ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>
    /// The directory the server runs in; the test models are generated under <c>models/</c> in it, and its durable
    /// state (database, adapter store) lives under <c>data/</c>.
    /// </summary>
    public string WorkDirectory => _workDirectory;

    /// <summary>The server process's id (for memory readings).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>What the server wrote last (stdout and stderr), for diagnosing a failed test.</summary>
    public string RecentOutput => _log.ToString();

    /// <summary>Configuration keys passed as <c>--Key=value</c> on top of the defaults in appsettings.json.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ConfigurationOverrides => [];

    public ChatClient CreateChatClient(string model) => OpenAIClients.Chat(BaseAddress, model);

    public OpenAIModelClient CreateModelClient() => OpenAIClients.Models(BaseAddress);

    public async Task InitializeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            _baseAddress = new Uri($"http://127.0.0.1:{port}");
            _process = Start(port);
            _http = new HttpClient { BaseAddress = _baseAddress, Timeout = TestTimeouts.Request };
            try
            {
                await WaitUntilReadyAsync(_process, _http);
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && _log.Contains("address already in use"))
            {
                Stop();
            }
        }
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the OS temp cleaner takes it later.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Ends the server the hard way (<paramref name="graceful"/> false: SIGKILL to the server process, as a crash;
    /// see <see cref="KillServerOnlyAsync"/>) or the polite way (true: SIGTERM, as an orchestrator stops a pod; waits
    /// for the exit), keeping its work directory. <see cref="StartAgainAsync"/> then starts it again over the same models and data.
    /// </summary>
    public async Task StopProcessAsync(bool graceful)
    {
        var process = _process ?? throw new InvalidOperationException("The server has not started.");
        if (!graceful)
        {
            await KillServerOnlyAsync();
            return;
        }

        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TestTimeouts.ServerStart);
        await process.WaitForExitAsync(timeout.Token);
        Stop();
    }

    /// <summary>
    /// SIGKILL to the server process alone, as the kernel's OOM killer or <c>kill -9</c> would do it: its children
    /// (the local chain) get no signal and must notice by themselves. Waits for the exit; the work directory stays.
    /// </summary>
    public async Task KillServerOnlyAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The server has not started.");
        using (var signal = Process.Start("kill", ["-KILL", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TestTimeouts.ServerStart);
        await process.WaitForExitAsync(timeout.Token);
        Stop();
    }

    /// <summary>Starts the server again on a new free port, over the same work directory.</summary>
    public Task StartAgainAsync() => InitializeAsync();

    /// <summary>The exit code of the last process, after <see cref="StopProcessAsync"/> with SIGTERM.</summary>
    public int? LastExitCode { get; private set; }

    private Process Start(int port)
    {
        var models = Path.Combine(_workDirectory, "models");
        var start = new ProcessStartInfo(ServerBinary.DotnetHost)
        {
            WorkingDirectory = _workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerBinary.DllPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(_baseAddress!.ToString().TrimEnd('/'));
        var settings = new Dictionary<string, string>
        {
            ["OpenLoRA:Engine:ModelsDirectory"] = models,
            ["OpenLoRA:Engine:DataDirectory"] = Path.Combine(_workDirectory, "data"),
            ["OpenLoRA:Engine:BaseModels:0:Path"] = Path.Combine(models, "tiny", "tiny-llama.gguf"),
            ["OpenLoRA:Engine:BaseModels:0:AdapterDirectory"] = Path.Combine(models, "tiny", "adapters"),

            // No local chain unless a fixture asks for one: anvil costs seconds and a process per server.
            ["OpenLoRA:Chain:Mode"] = "off",
            ["OpenLoRA:Billing:Enabled"] = "false",
        };
        foreach (var (key, value) in ConfigurationOverrides)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        // The test runner's environment must not pick another environment's settings or URLs.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(Process process, HttpClient http)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it was ready. Output:{Environment.NewLine}{_log}");
            }

            try
            {
                using var poll = new CancellationTokenSource(HealthPollTimeout);
                using var response = await http.GetAsync("/health", poll.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Not listening yet, or busy loading.
            }

            if (elapsed.Elapsed > TestTimeouts.ServerStart)
            {
                throw new TimeoutException($"The server was not ready after {TestTimeouts.ServerStart}. Output:{Environment.NewLine}{_log}");
            }

            await Task.Delay(TestTimeouts.HealthPollInterval);
        }
    }

    private void Stop()
    {
        // The process first, the client after: disposing the client aborts its requests, which a live server would
        // see as clients leaving, and a crash test must not give it that chance.
        var http = _http;
        _http = null;
        if (_process is not null)
        {
            if (_process.HasExited)
            {
                LastExitCode = _process.ExitCode;
            }

            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(TimeSpan.FromSeconds(30));
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }

            _process.Dispose();
            _process = null;
        }

        http?.Dispose();
    }
}
