using OpenLoRA.Attribution.Scoring;

namespace OpenLoRA.Attribution.Tests.Scoring;

public sealed class FixedPointLog2Tests
{
    [Fact]
    public void Log2_PowersOfTwo_Exact()
    {
        for (int k = 0; k < 64; k++) Assert.Equal((ulong)k << 16, FixedPointLog2.Log2(1UL << k));
    }

    [Fact]
    public void Log2_KnownValues_Truncated()
    {
        Assert.Equal(103_872UL, FixedPointLog2.Log2(3)); // log2(3) = 1.58496... × 65536 = 103872.2
        Assert.Equal(217_705UL, FixedPointLog2.Log2(10)); // 3.32193 × 65536 = 217705.1
    }

    [Fact]
    public void Log2_ManyValues_WithinOneUlpOfDoubleAndMonotonic()
    {
        var random = new Random(5);
        ulong previous = 0;
        for (ulong v = 1; v < 5000; v++)
        {
            ulong r = FixedPointLog2.Log2(v);
            Assert.True(r >= previous);
            previous = r;
            Assert.InRange(Math.Log2(v) * 65536 - r, -0.001, 2.0);
        }
        for (int i = 0; i < 1000; i++)
        {
            ulong v = (ulong)random.NextInt64(1, long.MaxValue);
            Assert.InRange(Math.Log2(v) * 65536 - FixedPointLog2.Log2(v), -0.01, 2.0);
        }
        Assert.Equal(64UL << 16, FixedPointLog2.Log2(ulong.MaxValue) + 1);
    }

    [Fact]
    public void Log2_Zero_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointLog2.Log2(0));
}
