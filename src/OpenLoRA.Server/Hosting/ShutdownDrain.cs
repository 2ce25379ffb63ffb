using Microsoft.Extensions.Options;

namespace OpenLoRA.Server.Hosting;

/// <summary>
/// Graceful shutdown of in-flight generations. On SIGTERM Kestrel stops accepting at once and waits for requests in
/// flight; generations may go on for <c>ShutdownGraceSeconds</c>, then this token cancels them, so each stream ends
/// with a final error event (and is charged for what it delivered) instead of a connection cut when the host's own
/// timeout, a few seconds later, aborts whatever is left.
/// </summary>
internal sealed class ShutdownDrain : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly CancellationTokenRegistration _registration;

    public ShutdownDrain(IHostApplicationLifetime lifetime, IOptions<ServerOptions> options, TimeProvider time)
    {
        _cancel = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        _registration = lifetime.ApplicationStopping.Register(() => _cancel.CancelAfter(grace));
    }

    /// <summary>Cancelled when the grace period after the stop signal is over.</summary>
    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _cancel.Dispose();
    }
}
