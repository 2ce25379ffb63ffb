using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nethereum.Signer;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OpenLoRA.IntegrationTests.Adapters.Scale;

/// <summary>
/// 2,000 adapters registered through the API and requests spread over them by a Zipf law while at most 32 may be
/// resident: every request succeeds and the resident count never exceeds the cap.
/// </summary>
public sealed partial class ThousandsOfAdaptersTests(ScaleServerFixture server, ITestOutputHelper output) : IClassFixture<ScaleServerFixture>
{
    private const int AdapterCount = 2000;
    private const int RequestCount = 240;
    private const int Concurrency = 8;

    [Fact]
    public async Task Chat_ZipfTrafficOver2000UploadedAdapters_AllSucceedWithinTheResidentCap()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var token = timeout.Token;
        var rssAtStart = ProcessMemory.ResidentBytes(server.ProcessId);
        var folder = Directory.CreateTempSubdirectory("openlora-scale-").FullName;
        try
        {
            var names = await UploadAllAsync(folder, token);
            var rssAfterUploads = ProcessMemory.ResidentBytes(server.ProcessId);
            var listed = await server.Http.GetFromJsonAsync<JsonElement>("/v1/adapters", token);
            Assert.True(listed.GetProperty("data").GetArrayLength() >= AdapterCount);

            var zipf = new ZipfSampler(AdapterCount, 1.1, seed: 2026);
            var picks = Enumerable.Range(0, RequestCount).Select(_ => names[zipf.Next()]).ToArray();
            var maxResident = 0.0;
            var next = -1;
            var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < picks.Length)
                {
                    var chat = server.CreateChatClient(picks[i]);
                    var completion = await chat.CompleteChatAsync(
                        [new OpenAI.Chat.UserChatMessage($"request {i}")],
                        new OpenAI.Chat.ChatCompletionOptions { MaxOutputTokenCount = 4, Temperature = 0 },
                        token);
                    Assert.Equal(picks[i], completion.Value.Model);
                    var resident = await ResidentAdaptersAsync(token);
                    InterlockedMax(ref maxResident, resident);
                }
            }).ToList();
            await Task.WhenAll(workers);

            var rssAtEnd = ProcessMemory.ResidentBytes(server.ProcessId);
            var metrics = await server.Http.GetStringAsync("/metrics", token);
            var loads = MetricValue(metrics, "openlora_adapter_loads_total");
            var evictions = MetricValue(metrics, "openlora_adapter_evictions_total");
            output.WriteLine(
                $"adapters={AdapterCount} requests={RequestCount} distinct={picks.Distinct().Count()} maxResident={maxResident} loads={loads} evictions={evictions} "
                + $"rssStartMiB={rssAtStart / 1048576.0:F1} rssAfterUploadsMiB={rssAfterUploads / 1048576.0:F1} rssEndMiB={rssAtEnd / 1048576.0:F1}");
            Console.WriteLine($"[scale] maxResident={maxResident} loads={loads} evictions={evictions} rss MiB start={rssAtStart / 1048576.0:F1} afterUploads={rssAfterUploads / 1048576.0:F1} end={rssAtEnd / 1048576.0:F1}");

            Assert.InRange(maxResident, 1, ScaleServerFixture.ResidentCap);
            Assert.True(picks.Distinct().Count() > ScaleServerFixture.ResidentCap, "the workload must touch more adapters than the cap");
            Assert.True(evictions > 0, "the cap was never exercised");

            // A scrape after traffic over 2,000 adapters: per-adapter series stay within the top-K bound plus "(other)".
            var labelled = Regex.Matches(metrics, "^openlora_adapter_requests_total\\{[^}]*adapter=\"([^\"]*)\"", RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.InRange(labelled.Count, 2, TopAdapters + 1);
            Assert.Contains("(other)", labelled);
            Assert.Contains("vllm:lora_requests_info{", metrics, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<string[]> UploadAllAsync(string folder, CancellationToken token)
    {
        var uploader = new ScaleUploader(server.Http, EthECKey.GenerateKey(), TimeProvider.System);
        var template = TestModelGenerator.EnsureTinyModels(Path.Combine(folder, "models")).AdapterPaths.First(p => p.Contains("tiny-attn-r4", StringComparison.Ordinal));
        var variants = new AdapterVariants(template);
        var names = Enumerable.Range(0, AdapterCount).Select(i => $"zipf-{i:D4}").ToArray();
        var next = -1;
        var workers = Enumerable.Range(0, 4).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < names.Length)
            {
                var path = variants.Write(folder, names[i], i);
                await uploader.UploadAsync(path, names[i], TestModels.BaseModel, token);
                File.Delete(path);
            }
        }).ToList();
        await Task.WhenAll(workers);
        return names;
    }

    private async Task<double> ResidentAdaptersAsync(CancellationToken token) =>
        MetricValue(await server.Http.GetStringAsync("/metrics", token), "openlora_resident_adapters");

    /// <summary>OpenLoRA:Server:Metrics:TopAdapters' default.</summary>
    private const int TopAdapters = 20;

    private static double MetricValue(string metrics, string name)
    {
        var match = Regex.Match(metrics, "^" + Regex.Escape(name) + @"\{[^}]*\} ([0-9.eE+-]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"metric {name} missing");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void InterlockedMax(ref double target, double value)
    {
        double current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
