using Microsoft.Extensions.Time.Testing;

namespace OpenLoRA.Chain.Tests.Submission;

/// <summary>A <see cref="FakeTimeProvider"/> that counts the timers created on it: the submitter creates one each
/// time it starts to wait, so the count says the loop is parked and the clock may move.</summary>
internal sealed class CountingTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _inner = new(start);
    private int _timers;

    public int Timers => Volatile.Read(ref _timers);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _inner.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timers);
        return timer;
    }

    public void Advance(TimeSpan delta) => _inner.Advance(delta);
}
