using OpenLoRA.Gguf.Tests.Support;

namespace OpenLoRA.Gguf.Tests;

public sealed class BaseModelShapesTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void FromFile_TinyModel_ReadsWhatTheEngineNeeds()
    {
        var shapes = tiny.Shapes;

        Assert.Equal("llama", shapes.Architecture);
        Assert.Equal(2048, shapes.ContextLength);
        Assert.Equal(306, shapes.VocabularySize);
        Assert.Contains("<|im_start|>", shapes.ChatTemplate);
        Assert.Equal([64L, 306L], shapes.Tensors["output.weight"]);
        Assert.Equal([128L, 64L], shapes.Tensors["blk.1.ffn_down.weight"]);
        Assert.True(shapes.TryGetShape("blk.0.attn_norm.weight", out var norm));
        Assert.Equal([64L], norm);
        Assert.Equal(21, shapes.Tensors.Count);
        Assert.Equal(4, shapes.HeadCount);
        Assert.Equal(2, shapes.KvHeadCount);
    }

    [Fact]
    public void FromGguf_NoKvHeadCount_DefaultsToHeadCountAsLlamaCppDoes()
    {
        var file = GgufWriterTests.RoundTrip(new GgufWriter()
            .Add("general.architecture", GgufValue.From("llama"))
            .Add("llama.attention.head_count", GgufValue.From(12u)), out _);

        var shapes = BaseModelShapes.FromGguf(file);

        Assert.Equal(12, shapes.HeadCount);
        Assert.Equal(12, shapes.KvHeadCount);
    }

    [Fact]
    public void FromGguf_PerLayerHeadCounts_LoadWithUnknownCounts()
    {
        var file = GgufWriterTests.RoundTrip(new GgufWriter()
            .Add("general.architecture", GgufValue.From("openelm"))
            .Add("openelm.attention.head_count", GgufValue.FromArray(new uint[] { 12, 16 }))
            .Add("openelm.attention.head_count_kv", GgufValue.FromArray(new uint[] { 3, 4 })), out _);

        var shapes = BaseModelShapes.FromGguf(file);

        Assert.Equal(0, shapes.HeadCount);
        Assert.Equal(0, shapes.KvHeadCount);
    }

    [Fact]
    public void FromFile_NotGguf_ThrowsFormatException()
    {
        var path = Path.Combine(tiny.Folder("text"), "model.gguf");
        File.WriteAllText(path, "not a model at all");

        Assert.Throws<GgufFormatException>(() => BaseModelShapes.FromFile(path));
    }

    [Fact]
    public void FromGguf_NoArchitecture_ThrowsFormatException()
    {
        var file = GgufWriterTests.RoundTrip(new GgufWriter().Add("general.name", GgufValue.From("x")), out _);

        var error = Assert.Throws<GgufFormatException>(() => BaseModelShapes.FromGguf(file));

        Assert.Contains("general.architecture", error.Message);
    }
}
