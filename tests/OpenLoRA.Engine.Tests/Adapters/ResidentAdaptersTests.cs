using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Scheduling;
using OpenLoRA.Engine.Tests.Scheduling;

namespace OpenLoRA.Engine.Tests.Adapters;

/// <summary>The resident adapter set as the scheduler drives it: bounded, pinned, loaded off the scheduler thread.</summary>
public sealed class ResidentAdaptersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Submit_ManyAdaptersOverASmallCap_AllSucceedAndResidentCountStaysWithinCap()
    {
        using var harness = new SchedulerHarness(maxSequences: 4, queueCapacity: 64, maxResident: 3);
        var targets = Enumerable.Range(0, 12).Select(i => harness.AdapterTarget($"adapter{i:D2}")).ToList();

        var generations = Enumerable.Range(0, 48).Select(i => harness.Submit(targets[(i * 7) % targets.Count], "abc", maxTokens: 3)).ToList();
        var results = await Task.WhenAll(generations.Select(SchedulerHarness.CollectAsync)).WaitAsync(Timeout);

        Assert.All(results, r => Assert.Equal(FinishReason.Length, r.Finish));
        Assert.InRange(harness.Backend.MaxLoaded, 1, 3);
        Assert.True(harness.Backend.Unloads > 0);
        foreach (var generation in generations)
        {
            await generation.DisposeAsync();
        }
    }

    [Fact]
    public async Task Submit_ByteBudget_EvictsToStayWithinBytes()
    {
        // Adapter "sizes" are their name lengths (8 bytes each here): a 20-byte budget holds two.
        using var harness = new SchedulerHarness(maxSequences: 2, maxResident: 100, maxResidentBytes: 20);
        var targets = Enumerable.Range(0, 5).Select(i => harness.AdapterTarget($"bytes{i:D3}")).ToList();

        foreach (var target in targets.Concat(targets))
        {
            await using var generation = harness.Submit(target, "abc", maxTokens: 2);
            Assert.Equal(FinishReason.Length, (await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout)).Finish);
        }

        Assert.InRange(harness.Backend.MaxLoaded, 1, 2);
    }

    [Fact]
    public async Task Submit_AdapterStillLoading_OtherRequestsKeepRunning()
    {
        using var harness = new SchedulerHarness();
        harness.Backend.SlowLoadGate = new SemaphoreSlim(0);
        var slow = harness.AdapterTarget("slow-adapter");

        await using var waiting = harness.Submit(slow, "abc", maxTokens: 3);
        await using var other = harness.Submit(harness.BaseTarget, "abc", maxTokens: 3);
        var otherResult = await SchedulerHarness.CollectAsync(other).WaitAsync(Timeout);

        Assert.Equal(("def", FinishReason.Length), otherResult);
        Assert.Equal(0, waiting.Usage.CompletionTokens);
        harness.Backend.SlowLoadGate.Release();
        Assert.Equal(FinishReason.Length, (await SchedulerHarness.CollectAsync(waiting).WaitAsync(Timeout)).Finish);
    }

    [Fact]
    public async Task Submit_AdapterFailsToLoad_OnlyItsRequestsFail()
    {
        using var harness = new SchedulerHarness();
        var broken = harness.AdapterTarget("broken-adapter");

        await using var failing = harness.Submit(broken, "abc", maxTokens: 3);
        await using var healthy = harness.Submit(harness.AdapterTarget("fine"), "abc", maxTokens: 3);

        await Assert.ThrowsAsync<BackendException>(() => SchedulerHarness.CollectAsync(failing).WaitAsync(Timeout));
        Assert.Equal(FinishReason.Length, (await SchedulerHarness.CollectAsync(healthy).WaitAsync(Timeout)).Finish);
    }

    [Fact]
    public async Task Submit_AdapterFileChangedOnDisk_RequestFailsAndNothingIsLoaded()
    {
        using var harness = new SchedulerHarness();
        var target = harness.AdapterTarget("changed");
        await File.WriteAllTextAsync(target.Adapter!.Path, "tampered");

        await using var generation = harness.Submit(target, "abc", maxTokens: 3);

        var error = await Assert.ThrowsAsync<BackendException>(() => SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout));
        Assert.Contains("changed on disk", error.Message);
        Assert.Equal(0, harness.Backend.Loads);
    }

    [Fact]
    public async Task Cancel_RequestWaitingForItsAdapter_EndsAtOnceAndReleasesThePin()
    {
        using var harness = new SchedulerHarness(maxResident: 1);
        harness.Backend.SlowLoadGate = new SemaphoreSlim(0);
        using var cancellation = new CancellationTokenSource();
        await using var waiting = harness.Submit(harness.AdapterTarget("slow-one"), "abc", maxTokens: 3, cancellationToken: cancellation.Token);

        await cancellation.CancelAsync();

        Assert.Equal(FinishReason.Cancelled, (await SchedulerHarness.CollectAsync(waiting).WaitAsync(Timeout)).Finish);
        harness.Backend.SlowLoadGate.Release();
        await using var next = harness.Submit(harness.AdapterTarget("other"), "abc", maxTokens: 2);
        Assert.Equal(FinishReason.Length, (await SchedulerHarness.CollectAsync(next).WaitAsync(Timeout)).Finish);
    }
}
