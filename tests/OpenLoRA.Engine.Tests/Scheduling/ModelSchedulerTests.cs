using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine.Tests.Scheduling;

public sealed class ModelSchedulerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Submit_LongPrompt_PrefillIsChunkedWithinBudget()
    {
        using var harness = new SchedulerHarness(stepBudget: 8);
        await using var generation = harness.Submit(harness.BaseTarget, "abcdefghijklmnopqrst", maxTokens: 5);

        var (text, finish) = await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout);

        Assert.Equal("uvwxy", text);
        Assert.Equal(FinishReason.Length, finish);
        var steps = harness.Backend.Steps;
        Assert.Equal([8, 8, 4, 1, 1, 1, 1], steps.Select(s => s.Tokens));
        Assert.Equal(5, generation.Usage.CompletionTokens);
        Assert.Equal(20, generation.Usage.PromptTokens);
    }

    [Fact]
    public async Task Submit_WhileAnotherDecodes_DecodeTokenGoesFirstAndBudgetHolds()
    {
        using var harness = new SchedulerHarness(stepBudget: 6);
        harness.Backend.Gate = new SemaphoreSlim(0);
        await using var first = harness.Submit(harness.BaseTarget, "ab", maxTokens: 6);
        await harness.Backend.StepEntered.WaitAsync(Timeout);
        await using var second = harness.Submit(harness.BaseTarget, "abcdefghijklmnop", maxTokens: 2);
        harness.Backend.Gate.Release(1000);

        var results = await Task.WhenAll(SchedulerHarness.CollectAsync(first), SchedulerHarness.CollectAsync(second)).WaitAsync(Timeout);

        Assert.Equal("cdefgh", results[0].Text);
        Assert.Equal("qr", results[1].Text);
        Assert.All(harness.Backend.Steps, step => Assert.True(step.Tokens <= 6));
        var mixed = harness.Backend.Steps.Where(s => s.Items.Count == 2).ToList();
        Assert.NotEmpty(mixed);
        Assert.All(mixed.Where(s => s.Items[1].Tokens > 1), step => Assert.Equal(1, step.Items[0].Tokens));
    }

    [Fact]
    public async Task Submit_QueueFull_ThrowsQueueFullException()
    {
        using var harness = new SchedulerHarness(maxSequences: 1, queueCapacity: 1);
        harness.Backend.Gate = new SemaphoreSlim(0);
        await using var running = harness.Submit(harness.BaseTarget, "abc", maxTokens: 3);
        await harness.Backend.StepEntered.WaitAsync(Timeout);
        await using var queued = harness.Submit(harness.BaseTarget, "abc", maxTokens: 3);

        var error = Assert.Throws<QueueFullException>(() => harness.Submit(harness.BaseTarget, "abc", maxTokens: 3));

        Assert.True(error.RetryAfter > TimeSpan.Zero);
        harness.Backend.Gate.Release(1000);
        Assert.Equal(FinishReason.Length, (await SchedulerHarness.CollectAsync(queued).WaitAsync(Timeout)).Finish);
    }

    [Fact]
    public async Task Cancel_RunningSequence_FreesSlotForTheNextRequest()
    {
        using var harness = new SchedulerHarness(maxSequences: 1);
        harness.Backend.Gate = new SemaphoreSlim(0);
        using var cancellation = new CancellationTokenSource();
        await using var cancelled = harness.Submit(harness.BaseTarget, "abc", maxTokens: 1000, cancellationToken: cancellation.Token);
        await harness.Backend.StepEntered.WaitAsync(Timeout);
        await using var next = harness.Submit(harness.BaseTarget, "abc", maxTokens: 2);

        await cancellation.CancelAsync();
        harness.Backend.Gate.Release(1000);

        Assert.Equal(FinishReason.Cancelled, (await SchedulerHarness.CollectAsync(cancelled).WaitAsync(Timeout)).Finish);
        Assert.Equal(("de", FinishReason.Length), await SchedulerHarness.CollectAsync(next).WaitAsync(Timeout));
        Assert.Contains(0, harness.Backend.ClearedSlots);
        Assert.True(cancelled.Usage.CompletionTokens < 1000);
    }

    [Fact]
    public async Task Submit_StopSequence_EndsWithStopAndHidesIt()
    {
        using var harness = new SchedulerHarness();
        await using var generation = harness.Submit(harness.BaseTarget, "a", maxTokens: 20, stop: ["fg"]);

        var result = await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout);

        Assert.Equal(("bcde", FinishReason.Stop), result);
    }

    [Fact]
    public async Task Submit_ReachesEndOfGeneration_FinishesWithStop()
    {
        using var harness = new SchedulerHarness();

        // Token 0 counts up to 30; the next one is the fake's end-of-generation id 31, which is not delivered.
        await using var generation = harness.Submit(harness.BaseTarget, "a", maxTokens: 40);
        var result = await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout);

        Assert.Equal(FinishReason.Stop, result.Finish);
        Assert.Equal(30, result.Text.Length);
        Assert.Equal(30, generation.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Submit_SequenceFillsItsContext_FinishesWithLength()
    {
        using var harness = new SchedulerHarness(contextSize: 8);
        await using var generation = harness.Submit(harness.BaseTarget, "abcde", maxTokens: 100);

        var result = await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout);

        // Prompt at positions 0-4, three decoded tokens fill 5-7, and a fourth is sampled but needs no cell.
        Assert.Equal(FinishReason.Length, result.Finish);
        Assert.Equal(4, generation.Usage.CompletionTokens);
    }

    [Fact]
    public void Submit_PromptLongerThanContext_ThrowsContextLengthExceeded()
    {
        using var harness = new SchedulerHarness(contextSize: 8);

        var error = Assert.Throws<ContextLengthExceededException>(() => harness.Submit(harness.BaseTarget, "abcdefgh", maxTokens: 1));

        Assert.Equal(8, error.PromptTokens);
        Assert.Equal(8, error.ContextSize);
    }

    [Fact]
    public async Task Submit_ConcurrentRequestsOnDifferentAdapters_EachGetsItsOwnAdapterOutput()
    {
        using var harness = new SchedulerHarness(maxSequences: 4);
        var targets = new[] { harness.BaseTarget, harness.AdapterTarget("one"), harness.AdapterTarget("three33") };
        var alone = new List<string>();
        foreach (var target in targets)
        {
            await using var single = harness.Submit(target, "abc", maxTokens: 6);
            alone.Add((await SchedulerHarness.CollectAsync(single).WaitAsync(Timeout)).Text);
        }

        harness.Backend.Steps.Clear();

        // Hold the first step until all three are queued, so they must share steps.
        harness.Backend.Gate = new SemaphoreSlim(0);
        var generations = targets.Select(t => harness.Submit(t, "abc", maxTokens: 6)).ToList();
        harness.Backend.Gate.Release(1000);
        var together = await Task.WhenAll(generations.Select(SchedulerHarness.CollectAsync)).WaitAsync(Timeout);

        Assert.Equal(alone, together.Select(r => r.Text));
        Assert.Equal(3, alone.Distinct().Count());
        Assert.Contains(harness.Backend.Steps, s => s.Groups == 3);
        foreach (var generation in generations)
        {
            await generation.DisposeAsync();
        }
    }

    [Fact]
    public async Task Step_AdapterGivesNonFiniteLogitsMidGeneration_FailsOnlyItsSequenceAndFreesItsSlot()
    {
        using var harness = new SchedulerHarness(maxSequences: 2);
        var broken = harness.AdapterTarget("nan-later");
        await using (var reference = harness.Submit(harness.BaseTarget, "abc", maxTokens: 8))
        {
            var alone = (await SchedulerHarness.CollectAsync(reference).WaitAsync(Timeout)).Text;

            // The prompt (3 tokens) and two decoded tokens are fine; the step that holds the sixth token is not.
            harness.Backend.NonFiniteFromPosition = 6;
            harness.Backend.Gate = new SemaphoreSlim(0);
            await using var failing = harness.Submit(broken, "abc", maxTokens: 8);
            await using var healthy = harness.Submit(harness.BaseTarget, "abc", maxTokens: 8);
            harness.Backend.Gate.Release(1000);

            var streamed = new List<GenerationDelta>();
            var error = await Assert.ThrowsAsync<NonFiniteLogitsException>(async () =>
            {
                await foreach (var delta in failing.Deltas.WithCancellation(CancellationToken.None))
                {
                    streamed.Add(delta);
                }
            }).WaitAsync(Timeout);
            var beside = await SchedulerHarness.CollectAsync(healthy).WaitAsync(Timeout);

            Assert.Equal(("nan-later", broken.Adapter!.Sha256), (error.AdapterName, error.AdapterSha256));
            Assert.Equal(3, failing.Usage.CompletionTokens);
            Assert.All(streamed, delta => Assert.Null(delta.Finish));
            Assert.Equal((alone, FinishReason.Length), beside);
        }

        // The failed sequence's slot and pin are free again: both slots serve the next two requests.
        harness.Backend.NonFiniteFromPosition = int.MaxValue;
        var next = new[] { harness.Submit(broken, "abc", maxTokens: 4), harness.Submit(harness.BaseTarget, "abc", maxTokens: 4) };
        var results = await Task.WhenAll(next.Select(SchedulerHarness.CollectAsync)).WaitAsync(Timeout);
        Assert.All(results, result => Assert.Equal(FinishReason.Length, result.Finish));
        foreach (var generation in next)
        {
            await generation.DisposeAsync();
        }
    }
}
