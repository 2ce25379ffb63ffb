using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;

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

    private static IGeneration Submit(SchedulerHarness harness, string tenant, string prompt)
    {
        var sampling = new SamplingParameters { Temperature = 0, MaxTokens = 4, Tenant = tenant };
        return harness.Service.Submit(harness.BaseTarget, harness.Service.PrepareCompletion(harness.BaseTarget, prompt), sampling, CancellationToken.None);
    }
}
