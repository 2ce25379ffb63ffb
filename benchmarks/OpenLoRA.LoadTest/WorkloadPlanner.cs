using System.Text;

namespace OpenLoRA.LoadTest;

/// <summary>Builds the deterministic request list: Poisson gaps, Zipf models, weighted tenants, uniform lengths.</summary>
internal static class WorkloadPlanner
{
    private static readonly string[] Words =
    [
        "the", "adapter", "model", "token", "ledger", "data", "open", "river", "stone", "light", "quick", "brown",
        "fox", "jumps", "over", "lazy", "dog", "story", "tell", "me", "about", "why", "how", "when",
    ];

    public static List<RequestPlan> Plan(LoadTestOptions options, IReadOnlyList<string> models)
    {
        var random = new Random(options.Seed);
        var zipf = new ZipfDistribution(models.Count, options.ZipfExponent);
        var tenantTotal = options.TenantWeights.Sum();
        var plans = new List<RequestPlan>(options.Requests);
        var clock = TimeSpan.Zero;
        for (var i = 0; i < options.Requests; i++)
        {
            if (options.Mode == "open")
            {
                // Exponential gaps give Poisson arrivals at the requested rate.
                clock += TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) / options.Rate);
            }

            var tenant = PickTenant(options.TenantWeights, tenantTotal, random.NextDouble());
            var words = random.Next(options.PromptWordsMin, options.PromptWordsMax + 1);
            var prompt = new StringBuilder();
            for (var w = 0; w < words; w++)
            {
                prompt.Append(w == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
            }

            var maxTokens = random.Next(options.OutputTokensMin, options.OutputTokensMax + 1);
            plans.Add(new RequestPlan(i, clock, tenant, models[zipf.Sample(random.NextDouble())], prompt.ToString(), maxTokens));
        }

        return plans;
    }

    private static int PickTenant(IReadOnlyList<double> weights, double total, double draw)
    {
        var target = draw * total;
        for (var t = 0; t < weights.Count; t++)
        {
            target -= weights[t];
            if (target < 0)
            {
                return t;
            }
        }

        return weights.Count - 1;
    }
}
