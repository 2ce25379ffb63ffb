namespace OpenLoRA.Gguf.Tests;

public sealed class GgufValueTests
{
    [Fact]
    public void Get_OtherIntegerType_Throws()
    {
        var value = GgufValue.From(5u);

        Assert.False(value.TryGet<int>(out _));
        Assert.Throws<InvalidOperationException>(() => value.Get<ulong>());
    }

    [Fact]
    public void TryGet_OnArray_ReturnsFalse()
    {
        var value = GgufValue.FromArray(["adapter"]);

        Assert.False(value.TryGet<string>(out _));
        Assert.Equal("array of string", value.TypeName);
        Assert.Equal(1, value.Count);
    }

    [Fact]
    public void FromArray_NullString_Throws()
    {
        Assert.Throws<ArgumentException>(() => GgufValue.FromArray(new string[] { "a", null! }));
    }

    [Fact]
    public void TryGetInteger_AnyIntegerWidth_ReadsTheValue()
    {
        GgufValue[] values = [GgufValue.From((byte)7), GgufValue.From((sbyte)7), GgufValue.From((ushort)7), GgufValue.From((short)7), GgufValue.From(7u), GgufValue.From(7), GgufValue.From(7ul), GgufValue.From(7L)];

        Assert.All(values, value => Assert.True(value.TryGetInteger(out var number) && number == 7, value.TypeName));
    }

    [Fact]
    public void TryGetInteger_NonIntegersAndOverflow_ReturnFalse()
    {
        Assert.False(GgufValue.From(ulong.MaxValue).TryGetInteger(out _));
        Assert.False(GgufValue.From(7f).TryGetInteger(out _));
        Assert.False(GgufValue.From("7").TryGetInteger(out _));
        Assert.False(GgufValue.FromArray(new uint[] { 7 }).TryGetInteger(out _));
        Assert.True(GgufValue.From(-3).TryGetInteger(out var negative) && negative == -3);
    }

    [Fact]
    public void TryGetReal_F32AndF64_OnlyThose()
    {
        Assert.True(GgufValue.From(0.5f).TryGetReal(out var single) && single == 0.5);
        Assert.True(GgufValue.From(0.25).TryGetReal(out var wide) && wide == 0.25);
        Assert.False(GgufValue.From(1u).TryGetReal(out _));
    }
}
