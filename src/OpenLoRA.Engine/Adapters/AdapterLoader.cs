using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Models;

namespace OpenLoRA.Engine.Adapters;

/// <summary>
/// Loads adapters on a dedicated thread so the scheduler keeps stepping while a file is hashed and read: a request
/// waiting for its adapter never blocks other work. Results are handed back through <see cref="TryTakeResult"/>.
/// </summary>
internal sealed class AdapterLoader : IDisposable
{
    private readonly IStepBackend _backend;
    private readonly Action _onCompleted;
    private readonly BlockingCollection<AdapterInfo> _requests = new();
    private readonly ConcurrentQueue<AdapterLoadResult> _results = new();
    private readonly Thread _thread;

    public AdapterLoader(IStepBackend backend, string model, Action onCompleted)
    {
        _backend = backend;
        _onCompleted = onCompleted;
        _thread = new Thread(Run) { Name = $"adapter-loader:{model}", IsBackground = true };
        _thread.Start();
    }

    public void Request(AdapterInfo adapter) => _requests.Add(adapter);

    public bool TryTakeResult(out AdapterLoadResult result) => _results.TryDequeue(out result!);

    public void Dispose()
    {
        _requests.CompleteAdding();
        _thread.Join();
        _requests.Dispose();
    }

    private void Run()
    {
        foreach (var adapter in _requests.GetConsumingEnumerable())
        {
            var started = Stopwatch.GetTimestamp();
            AdapterLoadResult result;
            try
            {
                VerifyContent(adapter);
                result = new AdapterLoadResult(adapter, _backend.LoadAdapter(adapter.Path), null, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception ex) when (ex is BackendException or IOException or UnauthorizedAccessException)
            {
                var error = ex as BackendException ?? new BackendException($"Adapter '{adapter.Name}' could not be read: {ex.Message}");
                result = new AdapterLoadResult(adapter, null, error, Stopwatch.GetElapsedTime(started));
            }

            _results.Enqueue(result);
            _onCompleted();
        }
    }

    /// <summary>The registry validated these exact bytes; a file changed on disk since then must not reach llama.cpp.</summary>
    private static void VerifyContent(AdapterInfo adapter)
    {
        using var stream = new FileStream(adapter.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(hash, adapter.Sha256, StringComparison.Ordinal))
        {
            throw new BackendException($"Adapter '{adapter.Name}' changed on disk since it was validated.");
        }
    }
}
