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
}
