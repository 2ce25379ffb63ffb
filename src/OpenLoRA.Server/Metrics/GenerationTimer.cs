using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Server.Metrics;

/// <summary>Times one generation and records it in <see cref="ServerMetrics"/>.</summary>
internal sealed class GenerationTimer(TimeProvider time, long startTimestamp, string baseModel)
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
        if (!finished)
        {
            return;
        }

        var now = time.GetTimestamp();
        ServerMetrics.EndToEndLatency.WithLabels(baseModel).Observe(time.GetElapsedTime(startTimestamp, now).TotalSeconds);
        if (_sawFirstToken && usage.CompletionTokens > 1)
        {
            var decode = time.GetElapsedTime(_firstTokenTimestamp, now).TotalSeconds;
            ServerMetrics.TimePerOutputToken.WithLabels(baseModel).Observe(decode / (usage.CompletionTokens - 1));
        }
    }
}
