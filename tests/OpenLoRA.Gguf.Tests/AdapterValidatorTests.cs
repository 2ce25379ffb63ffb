using OpenLoRA.Gguf.Tests.Support;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests;

public sealed class AdapterValidatorTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    public static TheoryData<string> BadAdapters => [.. BadAdapterCatalog.Names];

    [Theory]
    [InlineData("tiny-attn-r4", 4, 8f, 8)]
    [InlineData("tiny-mlp-r8", 8, 16f, 6)]
    [InlineData("tiny-all-r2", 2, 4f, 14)]
    [InlineData("tiny-out-r4", 4, 8f, 1)]
    public void Validate_GeneratedTinyAdapter_IsValid(string name, int rank, float alpha, int targets)
    {
        var path = tiny.AdapterPath(name);

        var result = AdapterValidator.Validate(path, tiny.Shapes);

        Assert.True(result.IsValid, result.Reason);
        Assert.Null(result.Reason);
        Assert.Equal(rank, result.Rank);
        Assert.Equal(alpha, result.Alpha);
        Assert.Equal(targets, result.Targets.Count);
        Assert.Equal(new FileInfo(path).Length, result.SizeBytes);
        Assert.Equal(result.Targets.Order(StringComparer.Ordinal), result.Targets);
    }

    [Fact]
    public void Validate_AttentionAdapter_ListsBaseTensorNames()
    {
        var result = AdapterValidator.Validate(tiny.AdapterPath("tiny-attn-r4"), tiny.Shapes);

        Assert.Contains("blk.0.attn_q.weight", result.Targets);
        Assert.Contains("blk.1.attn_output.weight", result.Targets);
        Assert.DoesNotContain(result.Targets, t => t.Contains("ffn", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BadAdapters))]
    public void Validate_CrashClassFile_IsRejectedWithReason(string name)
    {
        var bad = BadAdapterCatalog.Write(name, tiny.Folder("bad"));

        var result = AdapterValidator.Validate(bad.Path, tiny.Shapes);

        Assert.False(result.IsValid, $"{name} was accepted");
        Assert.Contains(bad.ExpectedReason, result.Reason);
    }

    [Fact]
    public void Validate_AdapterForAnotherModelShape_IsRejected()
    {
        var wider = new BaseModelShapes("llama", tiny.Shapes.Tensors.ToDictionary(
            pair => pair.Key,
            pair => pair.Key == "blk.0.attn_q.weight" ? (IReadOnlyList<long>)[128L, 128L] : pair.Value));

        var result = AdapterValidator.Validate(tiny.AdapterPath("tiny-attn-r4"), wider);

        Assert.False(result.IsValid);
        Assert.Contains("do not fit base tensor 'blk.0.attn_q.weight' [128, 128]", result.Reason);
    }

    [Fact]
    public void Validate_BaseModelFileAsAdapter_IsRejected()
    {
        var result = AdapterValidator.Validate(tiny.Set.BaseModelPath, tiny.Shapes);

        Assert.False(result.IsValid);
        Assert.Equal("'general.type' is missing; expected 'adapter'", result.Reason);
    }

    [Fact]
    public void Validate_MissingFile_ThrowsIOException()
    {
        Assert.ThrowsAny<IOException>(() => AdapterValidator.Validate(Path.Combine(tiny.Folder("none"), "absent.gguf"), tiny.Shapes));
    }

    [Fact]
    public void Validate_RandomlyCorruptedAdapters_NeverThrows()
    {
        var original = File.ReadAllBytes(tiny.AdapterPath("tiny-mlp-r8"));
        var accepted = 0;

        foreach (var bytes in Corruptions.Of(original, 600, seed: 3))
        {
            accepted += AdapterValidator.Validate(new MemoryStream(bytes), tiny.Shapes).IsValid ? 1 : 0;
        }

        // Flips inside tensor data that keep values finite and small are legitimately accepted.
        Assert.InRange(accepted, 1, 599);
    }
}
