using OpenLoRA.Engine.Models;
using OpenLoRA.Engine.Sampling;
using OpenLoRA.Engine.Scheduling;

namespace OpenLoRA.Engine.Tests.Scheduling;

/// <summary>Which pending request a freed slot admits, under each admission policy.</summary>
public sealed class AdmissionPolicyTests
{
    private const int Base = 1;
    private const int SameAdapterA = 3;
    private const int SameAdapterB = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Admit_Fifo_AdmitsInArrivalOrder()
    {
        var order = await AdmissionOrderAsync(AdmissionPolicy.Fifo, maxBypass: 16);

        Assert.Equal([Base, SameAdapterA, SameAdapterB], order);
    }

    [Fact]
    public async Task Admit_AdapterAffinity_PrefersRequestsJoiningARunningAdapterGroup()
    {
        var order = await AdmissionOrderAsync(AdmissionPolicy.AdapterAffinity, maxBypass: 16);

        Assert.Equal([SameAdapterA, SameAdapterB, Base], order);
    }

    [Fact]
    public async Task Admit_AdapterAffinity_RequestPassedOverMaxBypassTimesGoesNext()
    {
        var order = await AdmissionOrderAsync(AdmissionPolicy.AdapterAffinity, maxBypass: 1);

        Assert.Equal([SameAdapterA, Base, SameAdapterB], order);
    }

    /// <summary>
    /// Two slots: a long request on adapter X and a short base-model one run; then a base-model request and two more
    /// on X queue. Each time a slot frees, the policy picks. Returns the prompts' first tokens in admission order.
    /// </summary>
    private static async Task<List<int>> AdmissionOrderAsync(AdmissionPolicy policy, int maxBypass)
    {
        using var harness = new SchedulerHarness(maxSequences: 2, queueCapacity: 16, admission: policy, maxBypass: maxBypass);
        var adapter = harness.AdapterTarget("xa");
        harness.Backend.Gate = new SemaphoreSlim(0);
        var generations = new List<IGeneration> { Submit(harness, adapter, "bbbb", maxTokens: 40) };
        await harness.Backend.StepEntered.WaitAsync(Timeout);

        // The short base-model request takes the second slot at the next step, before anything else is queued.
        generations.Add(Submit(harness, harness.BaseTarget, "cccc", maxTokens: 2));
        harness.Backend.Gate.Release();
        await harness.Backend.StepEntered.WaitAsync(Timeout);

        generations.Add(Submit(harness, harness.BaseTarget, "bbbb", maxTokens: 2));
        generations.Add(Submit(harness, adapter, "dddd", maxTokens: 2));
        generations.Add(Submit(harness, adapter, "eeee", maxTokens: 2));
        harness.Backend.Gate.Release(100_000);
        foreach (var generation in generations)
        {
            await SchedulerHarness.CollectAsync(generation).WaitAsync(Timeout);
            await generation.DisposeAsync();
        }

        // Prefill starts (position 0) after the first two requests', in order.
        return harness.Backend.Steps.SelectMany(s => s.Items).Where(i => i.Start == 0).Select(i => i.FirstToken).Skip(2).ToList();
    }

    private static IGeneration Submit(SchedulerHarness harness, ModelTarget target, string prompt, int maxTokens)
    {
        var sampling = new SamplingParameters { Temperature = 0, MaxTokens = maxTokens, IgnoreEos = true };
        return harness.Service.Submit(target, harness.Service.PrepareCompletion(target, prompt), sampling, CancellationToken.None);
    }
}
