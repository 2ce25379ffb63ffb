using System.Text;
using OpenLoRA.Engine.Status;
using OpenLoRA.Server.Metrics;

namespace OpenLoRA.IntegrationTests.Operations;

/// <summary>The vLLM-named gauges exactly as the endpoint picker parses them.</summary>
public sealed class VllmMetricsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_250);

    [Fact]
    public void Render_OneModel_WritesVllmNamesLabelsAndValues()
    {
        var status = new ModelStatus("tiny-llama", 3, 2, 256, 1024, 8, ["a", "b"], ["c"]);

        var text = Render(status);

        Assert.Contains("# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name=\"tiny-llama\"} 3\n", text);
        Assert.Contains("vllm:num_requests_running{model_name=\"tiny-llama\"} 2\n", text);
        Assert.Contains("vllm:kv_cache_usage_perc{model_name=\"tiny-llama\"} 0.25\n", text);
        Assert.Contains("vllm:gpu_cache_usage_perc{model_name=\"tiny-llama\"} 0.25\n", text);
        Assert.Contains(
            "vllm:lora_requests_info{max_lora=\"8\",model_name=\"tiny-llama\",running_lora_adapters=\"a,b\",waiting_lora_adapters=\"c\"} 1760000000.25\n",
            text);
    }

    [Fact]
    public void Render_NothingRunning_LoraInfoStillPresentWithEmptyLabels()
    {
        var text = Render(new ModelStatus("m", 0, 0, 0, 1024, 32, [], []));

        Assert.Contains("vllm:lora_requests_info{max_lora=\"32\",model_name=\"m\",running_lora_adapters=\"\",waiting_lora_adapters=\"\"} ", text);
        Assert.Contains("vllm:kv_cache_usage_perc{model_name=\"m\"} 0\n", text);
    }

    [Fact]
    public void Render_NoModels_StillDeclaresEveryFamily()
    {
        var text = Render();

        foreach (var name in new[] { VllmMetrics.Waiting, VllmMetrics.Running, VllmMetrics.KvCacheUsage, VllmMetrics.GpuCacheUsage, VllmMetrics.LoraRequestsInfo })
        {
            Assert.Contains($"# TYPE {name} gauge\n", text);
        }
    }

    [Fact]
    public void ModelStatus_KvUsage_ClampedToZeroOne()
    {
        Assert.Equal(1, new ModelStatus("m", 0, 0, 5000, 1024, 1, [], []).KvCacheUsage);
        Assert.Equal(0, new ModelStatus("m", 0, 0, 10, 0, 1, [], []).KvCacheUsage);
    }

    [Fact]
    public void Render_QuoteInAModelName_IsEscaped()
    {
        var text = Render(new ModelStatus("a\"b\\c", 0, 0, 0, 1, 1, [], []));

        Assert.Contains("vllm:num_requests_waiting{model_name=\"a\\\"b\\\\c\"} 0\n", text);
    }

    private static string Render(params ModelStatus[] models)
    {
        var text = new StringBuilder();
        new VllmMetrics(new FixedStatus(models), new FixedTime()).Render(text);
        return text.ToString();
    }

    private sealed class FixedStatus(IReadOnlyList<ModelStatus> models) : IEngineStatus
    {
        public IReadOnlyList<ModelStatus> Snapshot() => models;
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
