using OpenLoRA.Gguf.Numerics;

namespace OpenLoRA.Gguf.Tests.Numerics;

public sealed class TensorElementCodecTests
{
    [Theory]
    [InlineData(1f, (ushort)0x3F80)]
    [InlineData(-2f, (ushort)0xC000)]
    [InlineData(1.00390625f, (ushort)0x3F80)] // halfway between 0x3F80 and 0x3F81: ties to even
    [InlineData(1.01171875f, (ushort)0x3F82)] // halfway between 0x3F81 and 0x3F82: ties to even
    [InlineData(float.PositiveInfinity, (ushort)0x7F80)]
    public void SingleToBFloat16_RoundsToNearestEven(float value, ushort expected)
    {
        Assert.Equal(expected, TensorElementCodec.SingleToBFloat16(value));
    }

    [Fact]
    public void SingleToBFloat16_NaN_StaysNaN()
    {
        Assert.True(float.IsNaN(TensorElementCodec.BFloat16ToSingle(TensorElementCodec.SingleToBFloat16(float.NaN))));
    }

    [Fact]
    public void EncodeDecode_F16_MatchesSystemHalf()
    {
        float[] values = [0.1f, -3.3f, 70000f, 1e-8f];
        var bytes = new byte[values.Length * 2];
        var decoded = new float[values.Length];

        TensorElementCodec.Encode(GgmlType.F16, values, bytes);
        TensorElementCodec.Decode(GgmlType.F16, bytes, decoded);

        Assert.Equal(values.Select(v => (float)(Half)v), decoded);
    }

    [Fact]
    public void Encode_IntegerType_Throws()
    {
        Assert.Throws<NotSupportedException>(() => TensorElementCodec.Encode(GgmlType.I32, [1f], new byte[4]));
    }
}
