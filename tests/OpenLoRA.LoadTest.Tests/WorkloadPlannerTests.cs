namespace OpenLoRA.LoadTest.Tests;

public sealed class WorkloadPlannerTests
{
    private static readonly LoadTestOptions Open = new()
    {
        Server = new Uri("http://127.0.0.1:1"),
        Requests = 4000,
        Mode = "open",
        Rate = 20,
        TenantWeights = [1, 3],
        OutputTokensMin = 5,
        OutputTokensMax = 9,
    };

    [Fact]
    public void Plan_SameSeed_SamePlan()
    {
        var first = WorkloadPlanner.Plan(Open, ["a", "b", "c"]);
        var second = WorkloadPlanner.Plan(Open, ["a", "b", "c"]);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Plan_OpenLoop_ArrivalsArePoissonAtTheRate()
    {
        var plans = WorkloadPlanner.Plan(Open, ["a"]);

        var meanGap = plans[^1].ArrivalOffset.TotalSeconds / plans.Count;
        Assert.InRange(meanGap, 0.045, 0.055);
        Assert.True(plans.Zip(plans.Skip(1)).All(p => p.First.ArrivalOffset <= p.Second.ArrivalOffset));
    }

    [Fact]
    public void Plan_TenantWeightsAndLengthBounds_AreRespected()
    {
        var plans = WorkloadPlanner.Plan(Open, ["a", "b"]);

        var heavyShare = plans.Count(p => p.Tenant == 1) / (double)plans.Count;
        Assert.InRange(heavyShare, 0.72, 0.78);
        Assert.All(plans, p => Assert.InRange(p.MaxTokens, 5, 9));
    }
}
