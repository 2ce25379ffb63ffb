using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Server.Metrics;
using Prometheus;

namespace OpenLoRA.IntegrationTests.Operations;

/// <summary>The per-adapter recording path from the generation timer to the shared adapter series.</summary>
public sealed class GenerationTimerAdapterTests
{
    [Fact]
    public async Task OnEnded_WithAnAdapter_RecordsItsPerAdapterSeries()
    {
        var adapter = $"timer-{Guid.NewGuid():N}"[..24];
        var timer = new GenerationTimer(TimeProvider.System, TimeProvider.System.GetTimestamp(), "timer-model", adapter);

        timer.OnDelta(new GenerationDelta("x", 1, null));
        timer.OnEnded(new GenerationUsage(4, 2), finished: true);

        var text = await ExportAsync();
        Assert.Contains($"openlora_adapter_generated_tokens_total{{adapter=\"{adapter}\"}} 2\n", text);
        Assert.Contains($"openlora_adapter_request_latency_seconds_count{{adapter=\"{adapter}\"}} 1\n", text);
    }

    [Fact]
    public async Task OnEnded_BaseModelOnly_RecordsNoAdapterSeries()
    {
        var timer = new GenerationTimer(TimeProvider.System, TimeProvider.System.GetTimestamp(), "timer-base-only");

        timer.OnEnded(new GenerationUsage(4, 2), finished: true);

        Assert.DoesNotContain("adapter=\"timer-base-only\"", await ExportAsync());
    }

    private static async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
