using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenLoRA.Chain.Anvil;

/// <summary>
/// A real anvil node on a loopback port for development and tests. Starts on a port chosen at run time, is
/// ready when eth_chainId answers, and is killed on dispose. With <see cref="AnvilOptions.StatePath"/> it can be
/// stopped and started again on the same port with its chain intact, to simulate an RPC endpoint going away.
/// </summary>
public sealed class AnvilProcess : IAsyncDisposable, IDisposable
{
    private const int MaxPortAttempts = 5;

    // Every anvil this process started, so none outlives the test host even when a test forgets to dispose.
    private static readonly ConcurrentDictionary<int, Process> _live = new();
    private static readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly AnvilOptions _options;
    private readonly string _executable;
    private readonly OutputTail _output = new(200);
    private Process? _process;
    private bool _disposed;

    static AnvilProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllLive();
    }

    private AnvilProcess(AnvilOptions options)
    {
        _options = options;
        _executable = AnvilExecutable.Resolve(options);
    }

    public int Port { get; private set; }

    public string RpcUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public ulong ChainId => _options.ChainId;

    public string? StatePath => _options.StatePath;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>anvil's well-known funded dev keys (local chains only).</summary>
    public IReadOnlyList<string> DevPrivateKeys => AnvilDevAccounts.PrivateKeys;

    public IReadOnlyList<string> DevAddresses => AnvilDevAccounts.Addresses;

    /// <summary>The last lines anvil printed, for diagnostics.</summary>
    public string RecentOutput => _output.ToString();

    /// <summary>Processes that were still running on this state file at start and were stopped first (see <see cref="AnvilPredecessors"/>).</summary>
    public IReadOnlyList<int> EndedPredecessors { get; private set; } = [];

    public static async Task<AnvilProcess> StartAsync(AnvilOptions? options = null, CancellationToken cancellationToken = default)
    {
        var anvil = new AnvilProcess(options ?? new AnvilOptions());
        try
        {
            await anvil.StartFirstTimeAsync(cancellationToken).ConfigureAwait(false);
            return anvil;
        }
        catch
        {
            anvil.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops anvil. With a state file it is asked to exit (SIGTERM) so it writes the state first, and killed only
    /// if it does not exit within <see cref="AnvilOptions.StopTimeout"/>; without one it is killed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited && _options.StatePath is not null)
            {
                if (OperatingSystem.IsWindows())
                {
                    throw new PlatformNotSupportedException("Stopping anvil with its state saved needs SIGTERM (Linux or macOS).");
                }

                UnixSignals.TryTerminate(process.Id);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.StopTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"anvil did not exit within {_options.StopTimeout} of SIGTERM.{Environment.NewLine}{RecentOutput}");
                }
            }
        }
        finally
        {
            Kill(process);
        }
    }

    /// <summary>Starts anvil again on the same port (and state file) after <see cref="StopAsync"/>.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await StopAsync(cancellationToken).ConfigureAwait(false);

        // The old listener is closed once the process has exited, but the same port can still be refused for a
        // moment on a loaded machine; retry with backoff until the startup deadline rather than once.
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (await TryStartOnPortAsync(Port, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (deadline.Elapsed > _options.StartupTimeout)
            {
                throw new InvalidOperationException($"anvil could not start again on port {Port}.{Environment.NewLine}{RecentOutput}");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>Moves chain time forward (evm_increaseTime) and mines a block so the new time is visible.</summary>
    public async Task IncreaseTimeAsync(TimeSpan delta, CancellationToken cancellationToken = default)
    {
        await RpcAsync("evm_increaseTime", [(long)delta.TotalSeconds], cancellationToken).ConfigureAwait(false);
        await MineAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task MineAsync(CancellationToken cancellationToken = default) => RpcAsync("evm_mine", [], cancellationToken);

    /// <summary>Turns mining per transaction off (transactions wait in the pool until <see cref="MineAsync"/>) or on.</summary>
    public Task SetAutomineAsync(bool enabled, CancellationToken cancellationToken = default) =>
        RpcAsync("evm_setAutomine", [enabled], cancellationToken);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var process = _process;
        _process = null;
        if (process is not null)
        {
            Kill(process);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task StartFirstTimeAsync(CancellationToken cancellationToken)
    {
        if (_options.StatePath is { } statePath)
        {
            EndedPredecessors = await AnvilPredecessors.EndAsync(Path.GetFullPath(statePath), _options.StopTimeout, cancellationToken).ConfigureAwait(false);
        }

        if (_options.Port > 0)
        {
            Port = _options.Port;
            if (!await TryStartOnPortAsync(Port, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"anvil exited before answering on port {Port}.{Environment.NewLine}{RecentOutput}");
            }

            return;
        }

        for (var attempt = 0; attempt < MaxPortAttempts; attempt++)
        {
            Port = LoopbackPorts.FindFree();
            if (await TryStartOnPortAsync(Port, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        throw new InvalidOperationException($"anvil failed to start on {MaxPortAttempts} free ports.{Environment.NewLine}{RecentOutput}");
    }

    /// <summary>
    /// Launches anvil on <paramref name="port"/> and waits for it to answer. False when it exited first (the port
    /// was taken between choosing and binding); throws when it neither answers nor exits within the deadline.
    /// </summary>
    private async Task<bool> TryStartOnPortAsync(int port, CancellationToken cancellationToken)
    {
        var process = Launch(port);
        try
        {
            var deadline = Stopwatch.StartNew();
            var delay = TimeSpan.FromMilliseconds(25);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    Kill(process);
                    return false;
                }

                // Only our own process being alive after the answer proves the answer came from it and not from
                // something else that won the port.
                if (await AnswersChainIdAsync(port, cancellationToken).ConfigureAwait(false) && !process.HasExited)
                {
                    _process = process;
                    return true;
                }

                if (deadline.Elapsed > _options.StartupTimeout)
                {
                    throw new TimeoutException(
                        $"anvil on port {port} did not answer eth_chainId within {_options.StartupTimeout}.{Environment.NewLine}{RecentOutput}");
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
            }
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    private Process Launch(int port)
    {
        var arguments = new List<string>
        {
            "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--chain-id", _options.ChainId.ToString(CultureInfo.InvariantCulture),
        };
        if (_options.StatePath is { } state)
        {
            arguments.AddRange(["--state", Path.GetFullPath(state)]);
        }

        if (_options.BlockTimeSeconds is { } blockTime)
        {
            arguments.AddRange(["--block-time", blockTime.ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(_options.ExtraArguments);
        var start = AnvilWatchdog.StartInfo(_executable, arguments);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        process.Start();
        _live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> AnswersChainIdAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync(
                $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() },
                cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var body = await JsonDocument.ParseAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return body.RootElement.TryGetProperty("result", out var result)
                && result.GetString() is { } hex
                && ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) == _options.ChainId;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task RpcAsync(string method, object[] parameters, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(
            RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (body.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"anvil {method} failed: {error.GetRawText()}");
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to kill.
        }
        finally
        {
            _live.TryRemove(process.Id, out _);
            process.Dispose();
        }
    }

    private static void KillAllLive()
    {
        foreach (var process in _live.Values)
        {
            Kill(process);
        }
    }
}
