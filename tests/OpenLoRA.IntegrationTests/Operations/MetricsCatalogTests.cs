using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OpenLoRA.IntegrationTests.Infrastructure;
using OpenLoRA.IntegrationTests.Server;

namespace OpenLoRA.IntegrationTests.Operations;

/// <summary>A real server's <c>/metrics</c> against docs/METRICS.md and the vLLM series the endpoint picker reads.</summary>
[Collection(RealServerCollection.Name)]
public sealed partial class MetricsCatalogTests(SmallContextServerFixture server)
{
    [Fact]
    public void Catalog_Parsed_ListsTheServerAndVllmFamilies()
    {
        var names = MetricsCatalog.Read().Select(r => r.Name).ToList();

        Assert.Contains("openlora_adapter_requests_total", names);
        Assert.Contains("vllm:lora_requests_info", names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task GetMetrics_AfterRequestsThroughTwoAdapters_ExportsEveryDocumentedFamily()
    {
        var metrics = await ScrapeAfterTrafficAsync();

        var missing = MetricsCatalog.Read()
            .Where(r => r.Exported == "always")
            .Where(r => !metrics.Contains($"# TYPE {r.Name} {r.Type}\n", StringComparison.Ordinal))
            .Select(r => r.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"Documented but not exported: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task GetMetrics_AfterRequestsThroughTwoAdapters_DocumentsEveryExportedOpenLoRAFamily()
    {
        var metrics = await ScrapeAfterTrafficAsync();
        var documented = MetricsCatalog.Read().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        var undocumented = TypeLine().Matches(metrics)
            .Select(m => m.Groups[1].Value)
            .Where(n => n.StartsWith("openlora_", StringComparison.Ordinal) || n.StartsWith("vllm:", StringComparison.Ordinal))
            .Where(n => !documented.Contains(n))
            .ToList();
        Assert.True(undocumented.Count == 0, $"Exported but not in docs/METRICS.md: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public async Task GetMetrics_VllmGauges_HaveVllmLabelsAndRanges()
    {
        var metrics = await ScrapeAfterTrafficAsync();
        var model = $"model_name=\"{TestModels.BaseModel}\"";

        foreach (var name in new[] { "vllm:num_requests_waiting", "vllm:num_requests_running" })
        {
            var value = SampleValue(metrics, $"{name}{{{model}}}");
            Assert.True(value >= 0 && value == Math.Floor(value), $"{name} = {value}");
        }

        foreach (var name in new[] { "vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc" })
        {
            Assert.InRange(SampleValue(metrics, $"{name}{{{model}}}"), 0, 1);
        }

        var info = LoraInfo().Match(metrics);
        Assert.True(info.Success, "vllm:lora_requests_info is missing or lacks a vLLM label:\n" + metrics);

        // The default MaxResidentAdapters of appsettings.json (not overridden by the fixture).
        Assert.Equal("32", info.Groups["max"].Value);
        Assert.Equal(TestModels.BaseModel, info.Groups["model"].Value);
        Assert.All(
            info.Groups["running"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Concat(info.Groups["waiting"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries)),
            name => Assert.Contains(name, TestModels.Adapters));
        var timestamp = double.Parse(info.Groups["value"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task GetMetrics_OpenMetricsAccept_EndsWithOneEofAfterTheVllmFamilies()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(text, "^# EOF$", RegexOptions.Multiline));
        Assert.True(text.IndexOf("# TYPE vllm:lora_requests_info gauge", StringComparison.Ordinal) > 0);
    }

    [Fact]
    public async Task GetMetrics_AfterRequestsThroughTwoAdapters_HasPerAdapterSeries()
    {
        var metrics = await ScrapeAfterTrafficAsync();

        foreach (var adapter in TestModels.Adapters[..2])
        {
            Assert.Contains($"openlora_adapter_requests_total{{adapter=\"{adapter}\"}}", metrics);
            Assert.Contains($"openlora_adapter_generated_tokens_total{{adapter=\"{adapter}\"}}", metrics);
            Assert.Contains($"openlora_adapter_request_latency_seconds_count{{adapter=\"{adapter}\"}}", metrics);
        }
    }

    private async Task<string> ScrapeAfterTrafficAsync()
    {
        foreach (var adapter in TestModels.Adapters[..2])
        {
            foreach (var path in new[] { "/v1/chat/completions", "/v1/completions" })
            {
                var body = path == "/v1/completions"
                    ? $$"""{"model":"{{adapter}}","prompt":"Hello","max_tokens":3}"""
                    : $$"""{"model":"{{adapter}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":3}""";
                using var response = await server.Http.PostJsonAsync(path, body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        using var metrics = await server.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        return await metrics.Content.ReadAsStringAsync();
    }

    private static double SampleValue(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"No sample {series}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex("""^vllm:lora_requests_info\{max_lora="(?<max>\d+)",model_name="(?<model>[^"]*)",running_lora_adapters="(?<running>[^"]*)",waiting_lora_adapters="(?<waiting>[^"]*)"\} (?<value>\S+)$""", RegexOptions.Multiline)]
    private static partial Regex LoraInfo();
}
