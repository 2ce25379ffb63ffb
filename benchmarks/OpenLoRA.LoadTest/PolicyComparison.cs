using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpenLoRA.LoadTest;

/// <summary>
/// The same workload against the scheduler and against the baseline policy (one adapter configuration per step,
/// first-come-first-served admission: llama.cpp's server), run one after the other on the same machine and model.
/// </summary>
internal sealed record PolicyComparison(
    string SchedulerSettings,
    string BaselineSettings,
    LoadReport Scheduler,
    LoadReport Baseline)
{
    /// <summary>Scheduler output tokens/s over the baseline's (the target is at least 1.5).</summary>
    public double ThroughputRatio => Baseline.OutputTokensPerSecond == 0 ? 0 : Scheduler.OutputTokensPerSecond / Baseline.OutputTokensPerSecond;

    /// <summary>Scheduler p99 time to first token over the baseline's (at most 1 means no worse).</summary>
    public double TimeToFirstTokenP99Ratio => Baseline.TimeToFirstToken.P99 == 0 ? 0 : Scheduler.TimeToFirstToken.P99 / Baseline.TimeToFirstToken.P99;

    public string ToJson() => JsonSerializer.Serialize(
        new { scheduler_settings = SchedulerSettings, baseline_settings = BaselineSettings, throughput_ratio = ThroughputRatio, ttft_p99_ratio = TimeToFirstTokenP99Ratio, scheduler = Scheduler, baseline = Baseline },
        new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    public string ToMarkdown(LoadTestOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"# Policy comparison: {options.Mode} loop, {options.Requests} requests, concurrency {options.Concurrency}, Zipf {options.ZipfExponent}");
        md.AppendLine();
        md.AppendLine(c, $"- scheduler: {SchedulerSettings}");
        md.AppendLine(c, $"- baseline: {BaselineSettings}");
        md.AppendLine();
        md.AppendLine("| policy | succeeded | req/s | output tok/s | TTFT p50 (s) | TTFT p99 (s) | TPOT p50 (s) | e2e p99 (s) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, r) in new[] { ("scheduler", Scheduler), ("baseline", Baseline) })
        {
            md.AppendLine(c, $"| {name} | {r.Succeeded}/{r.Requests} | {r.RequestsPerSecond:F2} | {r.OutputTokensPerSecond:F1} | {r.TimeToFirstToken.P50:F3} | {r.TimeToFirstToken.P99:F3} | {r.TimePerOutputToken.P50:F4} | {r.EndToEnd.P99:F3} |");
        }

        md.AppendLine();
        md.AppendLine(c, $"Output tokens/s ratio (scheduler / baseline): **{ThroughputRatio:F2}**; p99 TTFT ratio: **{TimeToFirstTokenP99Ratio:F2}** (below 1 is better).");
        md.AppendLine();
        md.AppendLine("## Scheduler run");
        md.AppendLine();
        md.AppendLine(Scheduler.ToMarkdown(options));
        md.AppendLine("## Baseline run");
        md.AppendLine();
        md.AppendLine(Baseline.ToMarkdown(options));
        return md.ToString();
    }
}
