using OpenLoRA.Engine.Scheduling.Fairness;

namespace OpenLoRA.Engine.Tests.Scheduling.Fairness;

public sealed class VirtualTokenCounterTests
{
    [Fact]
    public void Charge_WeighsGeneratedTokensTwiceAsMuchAsPromptTokens()
    {
        var counter = new VirtualTokenCounter();

        counter.Charge("a", promptTokens: 10, outputTokens: 3);

        Assert.Equal(16, counter["a"]);
    }

    [Fact]
    public void Activate_ReturningTenant_IsLiftedToTheLowestActiveCounterNotBelow()
    {
        var counter = new VirtualTokenCounter();
        counter.Charge("busy", 100, 0);
        counter.Charge("other", 40, 0);

        counter.Activate("idle", ["busy", "other"]);
        counter.Charge("rich", 500, 0);
        counter.Activate("rich", ["busy", "other"]);

        Assert.Equal(40, counter["idle"]);
        Assert.Equal(500, counter["rich"]);
    }

    [Fact]
    public void Activate_NoOtherActiveTenant_KeepsTheCounter()
    {
        var counter = new VirtualTokenCounter();
        counter.Charge("a", 5, 0);

        counter.Activate("a", ["a"]);

        Assert.Equal(5, counter["a"]);
    }
}
