using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Scheduling.Fairness;

namespace OpenLoRA.Engine.Tests.Scheduling.Fairness;

/// <summary>Free slots go to the tenant with the least service, not to whoever queued first.</summary>
public sealed class TenantFairnessTests
{
    private const int Heavy = 1;
    private const int Light = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Admit_HeavyTenantFloodsTheQueue_LightTenantIsServedNextNotLast()
    {
        var admitted = await AdmissionOrderAsync(["heavy", "heavy", "heavy", "heavy", "heavy", "heavy", "heavy", "heavy", "light", "light"]);

        // One slot: first-come-first-served would admit the light tenant last (positions 9 and 10).
        Assert.Equal(Heavy, admitted[0]);
        Assert.Equal(Light, admitted[1]);
        Assert.True(admitted.IndexOf(Light, 2) <= 4, string.Join(", ", admitted));
    }

    [Fact]
    public async Task Admit_SameTenantEverywhere_KeepsArrivalOrder()
    {
        var admitted = await AdmissionOrderAsync(["same", "same", "same", "same"], lightPromptAt: 2);

        Assert.Equal([Heavy, Heavy, Light, Heavy], admitted);
    }

    [Fact]
    public async Task Serve_HeavyTenantSendsTenTimesMore_ServiceGapStaysWithinTheVtcBoundWhileBothAreBacklogged()
    {
        const int slots = 2;
        const int promptTokens = 4;
        const int maxTokens = 8;
        using var harness = new SchedulerHarness(maxSequences: slots, queueCapacity: 128, stepBudget: 64);
        harness.Backend.Gate = new SemaphoreSlim(0);
        var generations = new List<IGeneration> { Submit(harness, "heavy", "bbbb", maxTokens, ignoreEos: true) };
        await harness.Backend.StepEntered.WaitAsync(Timeout);
        for (var i = 0; i < 40; i++)
        {
            generations.Add(Submit(harness, "heavy", "bbbb", maxTokens, ignoreEos: true));
            if (i % 10 == 0)
            {
                generations.Add(Submit(harness, "light", "cccc", maxTokens, ignoreEos: true));
            }
        }

        harness.Backend.Gate.Release(100_000);
        foreach (var generation in generations)
        {
            await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout);
            await generation.DisposeAsync();
        }

        // Weighted service per tenant, from the backend's own record of every token it processed (prompt tokens
        // count 1, generated tokens 2: the counter's weights), up to the light tenant's last token. A slot belongs to
        // whoever's prompt started in it last.
        var steps = harness.Backend.Steps;
        var owner = new Dictionary<int, int>();
        var window = new Dictionary<int, double> { [Heavy] = 0, [Light] = 0 };
        var pending = new Dictionary<int, double> { [Heavy] = 0, [Light] = 0 };
        foreach (var step in steps)
        {
            foreach (var item in step.Items)
            {
                if (item.Start == 0)
                {
                    owner[item.Slot] = item.FirstToken;
                }

                pending[owner[item.Slot]] += item.Start < promptTokens
                    ? item.Tokens * VirtualTokenCounter.PromptTokenWeight
                    : item.Tokens * VirtualTokenCounter.OutputTokenWeight;
            }

            if (step.Items.Any(i => owner[i.Slot] == Light))
            {
                window[Heavy] += pending[Heavy];
                window[Light] += pending[Light];
                pending[Heavy] = pending[Light] = 0;
            }
        }

        // Sheng et al. (OSDI 2024), theorem on backlogged clients: |W_heavy - W_light| <= 2U over any interval in
        // which both are backlogged, U = w_p * L_input + w_q * M, M = the tokens a full batch can hold. The light
        // tenant stays backlogged until its last token; first-come-first-served would serve about 40 heavy requests
        // (40 * 20 = 800) before it.
        var u = VirtualTokenCounter.PromptTokenWeight * promptTokens + VirtualTokenCounter.OutputTokenWeight * slots * (promptTokens + maxTokens);
        var gap = Math.Abs(window[Heavy] - window[Light]);
        Assert.True(gap <= 2 * u, $"heavy {window[Heavy]}, light {window[Light]}, gap {gap} > 2U = {2 * u}");
        Assert.Equal(4 * (promptTokens + VirtualTokenCounter.OutputTokenWeight * (maxTokens - 1)), window[Light]);
    }

    /// <summary>
    /// Submits one heavy request that occupies the only slot, then the given tenants in order, and returns the
    /// first prompt token of each admitted request in admission order (heavy prompts start with token 1, light with 2).
    /// </summary>
    private static async Task<List<int>> AdmissionOrderAsync(string[] tenants, int lightPromptAt = -1)
    {
        using var harness = new SchedulerHarness(maxSequences: 1, queueCapacity: 64);
        harness.Backend.Gate = new SemaphoreSlim(0);
        var generations = new List<IGeneration> { Submit(harness, tenants[0], "bbb") };
        await harness.Backend.StepEntered.WaitAsync(Timeout);
        for (var i = 1; i < tenants.Length; i++)
        {
            var light = tenants[i] == "light" || i == lightPromptAt;
            generations.Add(Submit(harness, tenants[i], light ? "ccc" : "bbb"));
        }

        harness.Backend.Gate.Release(100_000);
        foreach (var generation in generations)
        {
            await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout);
            await generation.DisposeAsync();
        }

        return harness.Backend.Steps.Where(s => s.Items[0].Tokens == 3).Select(s => s.Items[0].FirstToken).ToList();
    }

    private static IGeneration Submit(SchedulerHarness harness, string tenant, string prompt, int maxTokens = 4, bool ignoreEos = false)
    {
        var sampling = new SamplingParameters { Temperature = 0, MaxTokens = maxTokens, Tenant = tenant, IgnoreEos = ignoreEos };
        return harness.Service.Submit(harness.BaseTarget, harness.Service.PrepareCompletion(harness.BaseTarget, prompt), sampling, CancellationToken.None);
    }
}
