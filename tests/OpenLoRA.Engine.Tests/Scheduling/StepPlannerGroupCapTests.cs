using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine.Tests.Scheduling;

/// <summary>The per-step adapter group cap and its rotation, driven through the real scheduler.</summary>
public sealed class StepPlannerGroupCapTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Plan_GroupCap_NoStepExceedsItAndEveryGroupFinishesWithItsOwnOutput(int cap)
    {
        using var harness = new SchedulerHarness(maxSequences: 8, maxGroups: cap);
        var targets = new[] { harness.BaseTarget, harness.AdapterTarget("one"), harness.AdapterTarget("three33"), harness.AdapterTarget("fourfour") };
        var alone = new List<string>();
        foreach (var target in targets)
        {
            await using var single = harness.Submit(target, "abc", maxTokens: 6);
            alone.Add((await SchedulerHarness.CollectAsync(single).WaitAsync(Timeout)).Text);
        }

        harness.Backend.Steps.Clear();
        harness.Backend.Gate = new SemaphoreSlim(0);
        var generations = targets.SelectMany(t => new[] { harness.Submit(t, "abc", maxTokens: 6), harness.Submit(t, "abc", maxTokens: 6) }).ToList();
        harness.Backend.Gate.Release(10_000);
        var results = await Task.WhenAll(generations.Select(SchedulerHarness.CollectAsync)).WaitAsync(Timeout);

        Assert.Equal(alone.SelectMany(text => new[] { text, text }), results.Select(r => r.Text));
        Assert.All(harness.Backend.Steps, step => Assert.InRange(step.Groups, 1, cap));
        foreach (var generation in generations)
        {
            await generation.DisposeAsync();
        }
    }

    [Fact]
    public async Task Plan_CapOfOne_RotatesSoNoGroupWaitsMoreThanTheOthersTake()
    {
        using var harness = new SchedulerHarness(maxSequences: 4, maxGroups: 1);
        harness.Backend.Gate = new SemaphoreSlim(0);
        var targets = new[] { harness.AdapterTarget("aa"), harness.AdapterTarget("bbb"), harness.AdapterTarget("cccc") };
        var generations = targets.Select(t => harness.Submit(t, "abc", maxTokens: 20)).ToList();
        harness.Backend.Gate.Release(10_000);
        await Task.WhenAll(generations.Select(SchedulerHarness.CollectAsync)).WaitAsync(Timeout);

        // Once all three run, consecutive steps serve different groups: no group is skipped twice in a row.
        var slotsPerStep = harness.Backend.Steps.Select(s => s.Items[0].Slot).ToList();
        var busy = slotsPerStep.Skip(3).Take(30).ToList();
        Assert.All(busy.Zip(busy.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        foreach (var generation in generations)
        {
            await generation.DisposeAsync();
        }
    }
}
