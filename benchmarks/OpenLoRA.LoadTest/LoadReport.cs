using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpenLoRA.LoadTest;

/// <summary>The summary of one run, written as JSON (for machines) and Markdown (for notes).</summary>
internal sealed record LoadReport(
    int Requests,
    int Succeeded,
    double WallSeconds,
    double RequestsPerSecond,
    double OutputTokensPerSecond,
    LatencySummary TimeToFirstToken,
    LatencySummary TimePerOutputToken,
    LatencySummary EndToEnd,
    IReadOnlyList<TenantShare> Tenants,
    double JainFairnessIndex,
    IReadOnlyDictionary<string, int> ErrorsByKind)
{
    public static LoadReport From(IReadOnlyList<RequestResult> results, double wallSeconds, IReadOnlyList<double> tenantWeights)
    {
        var ok = results.Where(r => r.ErrorKind is null).ToList();
        var tokens = ok.Sum(r => r.OutputTokens);
        var tenants = Enumerable.Range(0, tenantWeights.Count).Select(t =>
        {
            var mine = ok.Where(r => r.Plan.Tenant == t).ToList();
            var share = tokens == 0 ? 0 : mine.Sum(r => r.OutputTokens) / (double)tokens;
            return new TenantShare(t, tenantWeights[t], results.Count(r => r.Plan.Tenant == t), mine.Count, mine.Sum(r => r.OutputTokens), share,
                Statistics.Percentile(mine.Select(r => r.EndToEndSeconds).ToList(), 50));
        }).ToList();

        // Fairness of service per unit of demand: each tenant's tokens divided by the tokens it asked for.
        var normalized = tenants.Where(t => t.Sent > 0).Select(t =>
            t.OutputTokens / (double)Math.Max(1, results.Where(r => r.Plan.Tenant == t.Tenant).Sum(r => r.Plan.MaxTokens))).ToList();
        return new LoadReport(
            results.Count,
            ok.Count,
            wallSeconds,
            ok.Count / wallSeconds,
            tokens / wallSeconds,
            LatencySummary.Of(ok.Where(r => r.TimeToFirstTokenSeconds is not null).Select(r => r.TimeToFirstTokenSeconds!.Value).ToList()),
            LatencySummary.Of(ok.Where(r => r.TimePerOutputTokenSeconds is not null).Select(r => r.TimePerOutputTokenSeconds!.Value).ToList()),
            LatencySummary.Of(ok.Select(r => r.EndToEndSeconds).ToList()),
            tenants,
            Statistics.JainIndex(normalized),
            results.Where(r => r.ErrorKind is not null).GroupBy(r => r.ErrorKind!).ToDictionary(g => g.Key, g => g.Count()));
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    public string ToMarkdown(LoadTestOptions options)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# Load test: {options.Mode} loop, {Requests} requests against {options.Server}");
        md.AppendLine();
        md.AppendLine(c, $"- succeeded: {Succeeded} / {Requests} in {WallSeconds:F1} s");
        md.AppendLine(c, $"- throughput: {RequestsPerSecond:F2} req/s, {OutputTokensPerSecond:F1} output tok/s");
        md.AppendLine(c, $"- Jain's fairness index over tenants (tokens served / tokens asked): {JainFairnessIndex:F3}");
        md.AppendLine();
        md.AppendLine("| latency (s) | p50 | p90 | p99 |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, summary) in new[] { ("time to first token", TimeToFirstToken), ("time per output token", TimePerOutputToken), ("end to end", EndToEnd) })
        {
            md.AppendLine(c, $"| {name} | {summary.P50:F4} | {summary.P90:F4} | {summary.P99:F4} |");
        }

        md.AppendLine();
        md.AppendLine("| tenant | weight | sent | succeeded | output tokens | token share | e2e p50 (s) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var t in Tenants)
        {
            md.AppendLine(c, $"| tenant-{t.Tenant} | {t.Weight} | {t.Sent} | {t.Succeeded} | {t.OutputTokens} | {t.TokenShare:P1} | {t.EndToEndP50:F3} |");
        }

        md.AppendLine();
        md.AppendLine(ErrorsByKind.Count == 0 ? "No errors." : "| error | count |\n| --- | ---: |\n" + string.Join('\n', ErrorsByKind.Select(e => $"| {e.Key} | {e.Value} |")));
        return md.ToString();
    }
}
