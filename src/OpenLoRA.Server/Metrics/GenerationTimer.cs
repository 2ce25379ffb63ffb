using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Server.Metrics;

/// <summary>
/// Times one generation and records it in <see cref="ServerMetrics"/>, and in <see cref="AdapterMetrics"/> when it ran
/// on an adapter (<paramref name="adapter"/>: the adapter's registered name; null for the base model).
/// </summary>
internal sealed class GenerationTimer(TimeProvider time, long startTimestamp, string baseModel, string? adapter = null)
{
    private long _firstTokenTimestamp;
    private bool _sawFirstToken;

    public void OnDelta(in GenerationDelta delta)
    {
        if (_sawFirstToken || delta.CompletionTokens == 0)
        {
            return;
        }

        _sawFirstToken = true;
        _firstTokenTimestamp = time.GetTimestamp();
        ServerMetrics.TimeToFirstToken.WithLabels(baseModel).Observe(time.GetElapsedTime(startTimestamp, _firstTokenTimestamp).TotalSeconds);
    }

    /// <summary>Counts tokens always; latencies only for generations that ran to a finish reason.</summary>
    public void OnEnded(GenerationUsage usage, bool finished)
    {
        ServerMetrics.PromptTokens.WithLabels(baseModel).Inc(usage.PromptTokens);
        ServerMetrics.GeneratedTokens.WithLabels(baseModel).Inc(usage.CompletionTokens);
        var now = time.GetTimestamp();
        var latency = time.GetElapsedTime(startTimestamp, now);
        if (adapter is not null)
        {
            AdapterMetrics.Shared.Record(adapter, usage.CompletionTokens, finished ? latency : null);
        }

        if (!finished)
        {
            return;
        }

        ServerMetrics.EndToEndLatency.WithLabels(baseModel).Observe(latency.TotalSeconds);
        if (_sawFirstToken && usage.CompletionTokens > 1)
        {
            var decode = time.GetElapsedTime(_firstTokenTimestamp, now).TotalSeconds;
            ServerMetrics.TimePerOutputToken.WithLabels(baseModel).Observe(decode / (usage.CompletionTokens - 1));
        }
    }
}
