using System.Globalization;
using System.Text;
using OpenLoRA.Engine.Status;

namespace OpenLoRA.Server.Metrics;

/// <summary>
/// The gauges the Kubernetes Gateway API Inference Extension's endpoint picker reads from a vLLM server, under
/// vLLM's names and meanings, so OpenLoRA pods can sit in an InferencePool unchanged. prometheus-net 8.2.1 rejects
/// ':' in metric names (it checks <c>^[a-zA-Z_][a-zA-Z0-9_]*$</c>, although Prometheus allows colons), so these few
/// are rendered here, from a fresh <see cref="IEngineStatus"/> snapshot per scrape, and appended to the registry's
/// output by <see cref="MetricsEndpoint"/>. Each series carries <c>model_name</c> (the base model), as vLLM's do.
/// </summary>
internal sealed class VllmMetrics(IEngineStatus engine, TimeProvider time)
{
    public const string Waiting = "vllm:num_requests_waiting";
    public const string Running = "vllm:num_requests_running";
    public const string KvCacheUsage = "vllm:kv_cache_usage_perc";
    public const string GpuCacheUsage = "vllm:gpu_cache_usage_perc";
    public const string LoraRequestsInfo = "vllm:lora_requests_info";

    /// <summary>Appends the vLLM families in the Prometheus text format (also valid OpenMetrics gauge lines).</summary>
    public void Render(StringBuilder text)
    {
        var models = engine.Snapshot();
        Family(text, Waiting, "Number of requests waiting to be processed.", models, static m => m.WaitingRequests);
        Family(text, Running, "Number of requests in model execution batches.", models, static m => m.RunningRequests);
        Family(text, KvCacheUsage, "KV-cache usage. 1 means 100 percent usage.", models, static m => m.KvCacheUsage);

        // vLLM's older name for the same number; the endpoint picker's defaults read one or the other by version.
        Family(text, GpuCacheUsage, "GPU KV-cache usage. 1 means 100 percent usage.", models, static m => m.KvCacheUsage);

        // vLLM sets this series to the current time on every stats update and the picker keeps the newest series, so
        // its value is the snapshot's time; only the current label set is exported, one series per base model.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        Header(text, LoraRequestsInfo, "Running stats on lora requests.");
        foreach (var model in models)
        {
            text.Append(LoraRequestsInfo)
                .Append("{max_lora=\"").Append(model.MaxResidentAdapters.ToString(CultureInfo.InvariantCulture))
                .Append("\",model_name=\"").Append(Escape(model.Model))
                .Append("\",running_lora_adapters=\"").Append(Escape(string.Join(',', model.RunningAdapters)))
                .Append("\",waiting_lora_adapters=\"").Append(Escape(string.Join(',', model.WaitingAdapters)))
                .Append("\"} ").Append(Number(now)).Append('\n');
        }
    }

    private static void Family(StringBuilder text, string name, string help, IReadOnlyList<ModelStatus> models, Func<ModelStatus, double> value)
    {
        Header(text, name, help);
        foreach (var model in models)
        {
            text.Append(name).Append("{model_name=\"").Append(Escape(model.Model)).Append("\"} ").Append(Number(value(model))).Append('\n');
        }
    }

    private static void Header(StringBuilder text, string name, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" gauge\n");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Label value escaping of the text format: backslash, double quote and line feed.</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
}
