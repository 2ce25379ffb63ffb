using OpenLoRA.Server.Metrics;
using Prometheus;

namespace OpenLoRA.IntegrationTests.Operations;

/// <summary>The tracker that bounds the per-adapter label set, on Zipf-shaped adapter popularity.</summary>
public sealed class HeavyHittersTests
{
    private const int Adapters = 2_000;
    private const int Requests = 200_000;
    private const int TopK = 20;

    [Fact]
    public void Observe_ZipfTrafficOver2000Adapters_NeverMoreThanKPlusOneLiveLabels()
    {
        var tracker = new HeavyHitters(TopK);
        var live = new HashSet<string>(StringComparer.Ordinal);
        var maxLive = 0;

        foreach (var adapter in ZipfTraffic(seed: 7))
        {
            var decision = tracker.Observe(adapter);
            if (decision.Demoted is { } demoted)
            {
                Assert.True(live.Remove(demoted), $"{demoted} was demoted without being live");
            }

            live.Add(decision.Label);
            maxLive = Math.Max(maxLive, live.Count);
        }

        Assert.InRange(maxLive, 1, TopK + 1);
        Assert.Contains(HeavyHitters.Other, live);
        Assert.Equal(TopK, tracker.LabelledCount);
    }

    [Fact]
    public void Observe_ZipfTraffic_TheTrulyBusiestAdaptersEndLabelled()
    {
        var tracker = new HeavyHitters(TopK);
        var traffic = ZipfTraffic(seed: 11).ToList();
        foreach (var adapter in traffic)
        {
            tracker.Observe(adapter);
        }

        // The ten busiest by exact count are far above rank 20 under Zipf(1.1), so they must hold labels.
        var busiest = traffic.GroupBy(a => a).OrderByDescending(g => g.Count()).Take(10).Select(g => g.Key);
        Assert.All(busiest, adapter => Assert.Equal(adapter, tracker.Observe(adapter).Label));
    }

    [Fact]
    public void Observe_SameTrafficTwice_SameDecisions()
    {
        var first = new HeavyHitters(TopK);
        var second = new HeavyHitters(TopK);

        foreach (var adapter in ZipfTraffic(seed: 3).Take(20_000))
        {
            Assert.Equal(first.Observe(adapter), second.Observe(adapter));
        }
    }

    [Fact]
    public void Observe_FlatTrafficAfterTheTopFilled_KeepsTheTopSetStable()
    {
        var tracker = new HeavyHitters(2);
        tracker.Observe("a");
        tracker.Observe("b");

        // Newcomers each seen once inherit evicted counts but earned nothing: none may push out a or b.
        var demotions = Enumerable.Range(0, 1_000).Count(i => tracker.Observe($"n{i}").Demoted is not null);

        Assert.Equal(0, demotions);
        Assert.Equal("a", tracker.Observe("a").Label);
        Assert.Equal("b", tracker.Observe("b").Label);
    }

    [Fact]
    public void Observe_ANewcomerOvertakes_WeakestLosesItsLabel()
    {
        var tracker = new HeavyHitters(1);
        tracker.Observe("old");

        Assert.Equal(new HeavyHitterDecision(HeavyHitters.Other, null), tracker.Observe("new"));
        Assert.Equal(new HeavyHitterDecision("new", "old"), tracker.Observe("new"));
        Assert.Equal(new HeavyHitterDecision(HeavyHitters.Other, null), tracker.Observe("old"));
    }

    [Fact]
    public async Task Record_ZipfTrafficFromEightThreads_RegistryNeverHoldsMoreThanKPlusOneAdapterSeries()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new AdapterMetrics(Prometheus.Metrics.WithCustomRegistry(registry), TopK);
        var traffic = ZipfTraffic(seed: 5).Take(40_000).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = worker; i < traffic.Length; i += 8)
            {
                metrics.Record(traffic[i], completionTokens: 3, latency: TimeSpan.FromMilliseconds(i % 50));
            }
        })));

        var text = await ExportAsync(registry);
        foreach (var family in new[] { "openlora_adapter_requests_total{", "openlora_adapter_generated_tokens_total{", "openlora_adapter_request_latency_seconds_count{" })
        {
            var series = text.Split('\n').Count(l => l.StartsWith(family, StringComparison.Ordinal));
            Assert.InRange(series, 2, TopK + 1);
        }

        Assert.Contains("openlora_adapter_requests_total{adapter=\"(other)\"}", text);
    }

    /// <summary>Adapter names drawn with Zipf(s = 1.1) popularity over <see cref="Adapters"/> ranks, from a fixed seed.</summary>
    private static IEnumerable<string> ZipfTraffic(int seed)
    {
        var cumulative = new double[Adapters];
        var sum = 0.0;
        for (var rank = 0; rank < Adapters; rank++)
        {
            sum += 1 / Math.Pow(rank + 1, 1.1);
            cumulative[rank] = sum;
        }

        var random = new Random(seed);
        for (var i = 0; i < Requests; i++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            yield return $"adapter-{(index < 0 ? ~index : index):D4}";
        }
    }

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
