using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Tests.Backend.Ggml;

/// <summary>
/// The ggml backend reads each family's features from GGUF metadata alone (the same file renamed or retitled runs
/// the same), and refuses variants it does not compute as llama.cpp does, with a reason the engine logs before
/// falling back to LLamaSharp.
/// </summary>
public sealed class ArchitectureConfigTests(ArchitectureModelsFixture models) : IClassFixture<ArchitectureModelsFixture>
{
    [Fact]
    public void TryRead_EachFamily_TakesItsFeaturesFromMetadata()
    {
        var llama3 = Read("llama3");
        Assert.True(llama3.HasRopeFactors);
        Assert.Equal(0, llama3.Architecture.RopeMode);
        Assert.Equal(500000f, llama3.RopeFrequencyBase);

        var mistral = Read("mistral");
        Assert.Equal((8, 2, 32), (mistral.Heads, mistral.KvHeads, mistral.HeadDimension));

        Assert.Equal(0.25f, Read("llama-linear").RopeFrequencyScale);

        var qwen2 = Read("qwen2");
        Assert.True(qwen2.HasQkvBias);
        Assert.Equal(2, qwen2.Architecture.RopeMode);
        Assert.Equal("token_embd.weight", qwen2.OutputTensor);

        var qwen3 = Read("qwen3");
        Assert.True(qwen3.Architecture.QkNorm);
        Assert.Equal((128, 512), (qwen3.HeadDimension, qwen3.QueryEmbedding));
        Assert.Equal((256, 512), qwen3.TargetShape("attn_q"));
        Assert.Equal((512, 256), qwen3.TargetShape("attn_output"));

        var gemma2 = Read("gemma2");
        Assert.Equal((32, 2f, 8f), (gemma2.SlidingWindow, gemma2.AttentionSoftcap, gemma2.FinalSoftcap));
        Assert.True(gemma2.IsSlidingLayer(0));
        Assert.False(gemma2.IsSlidingLayer(1));
        Assert.Equal((1f / MathF.Sqrt(128), 1f), (gemma2.QueryScale, gemma2.AttentionScale));

        var gemma3 = Read("gemma3");
        Assert.Equal([true, true, true, true, true, false], Enumerable.Range(0, 6).Select(gemma3.IsSlidingLayer));
        Assert.Equal((1000000f, 0.125f), (gemma3.RopeFrequencyBase, gemma3.RopeFrequencyScale));
        Assert.Equal((10000f, 1f), (gemma3.RopeFrequencyBaseSliding, gemma3.RopeFrequencyScaleSliding));
        Assert.Equal(0f, gemma3.FinalSoftcap);
    }

    [Theory]
    [InlineData("qwen2", "qwen2.expert_count", 8u, "expert_count")]
    [InlineData("llama3", "llama.rope.dimension_count", 32u, "partial rotary")]
    [InlineData("llama-linear", "llama.rope.scaling.type", "yarn", "rope scaling")]
    [InlineData("qwen3", "general.architecture", "phi3", "phi3")]
    [InlineData("qwen3", "qwen3.attention.value_length", 64u, "value length")]
    [InlineData("mistral", "llama.attention.sliding_window", 32u, "sliding-window")]
    [InlineData("qwen2", "qwen2.final_logit_softcapping", 30f, "soft-capping")]
    public void TryRead_UnsupportedMetadata_IsRefusedWithAReason(string family, string key, object value, string expected)
    {
        var gguf = value switch
        {
            uint number => GgufValue.From(number),
            float real => GgufValue.From(real),
            _ => GgufValue.From((string)value),
        };
        var path = Rewrite(family, $"{family}-{key}.gguf", file => file.Metadata.Any(m => m.Key == key) ? null : (key, gguf), (key, gguf));

        Assert.False(GgmlLlamaConfig.TryRead(path, out _, out var reason));
        Assert.Contains(expected, reason);
    }

    [Fact]
    public void TryRead_MissingOrExtraTensorsAndKeys_AreRefusedWithAReason()
    {
        var noBias = Rewrite("qwen2", "qwen2-nobias.gguf", dropTensor: "blk.1.attn_v.bias");
        Assert.False(GgmlLlamaConfig.TryRead(noBias, out _, out var reason));
        Assert.Contains("blk.1.attn_v.bias is missing", reason);

        var noWindow = Rewrite("gemma3", "gemma3-nowindow.gguf", dropKey: "gemma3.attention.sliding_window");
        Assert.False(GgmlLlamaConfig.TryRead(noWindow, out _, out reason));
        Assert.Contains("sliding_window", reason);

        var noNorm = Rewrite("qwen3", "qwen3-nonorm.gguf", dropTensor: "blk.0.attn_k_norm.weight");
        Assert.False(GgmlLlamaConfig.TryRead(noNorm, out _, out reason));
        Assert.Contains("attn_k_norm", reason);

        var factorsElsewhere = Rewrite("qwen2", "qwen2-factors.gguf", extraTensor: "rope_freqs.weight");
        Assert.False(GgmlLlamaConfig.TryRead(factorsElsewhere, out _, out reason));
        Assert.Contains("rope_freqs.weight", reason);
    }

    /// <summary>Metadata alone decides: a qwen2 file retitled and renamed "llama-7b.gguf" still runs as qwen2.</summary>
    [Fact]
    public void TryRead_FileNameAndTitle_DoNotMatter()
    {
        var renamed = Rewrite("qwen2", "llama-7b.gguf", set: ("general.name", GgufValue.From("Llama 7B")));
        Assert.True(GgmlLlamaConfig.TryRead(renamed, out var config, out var reason), reason);
        Assert.Equal("qwen2", config.Architecture.Name);
        Assert.True(config.HasQkvBias);
    }

    private GgmlLlamaConfig Read(string family)
    {
        Assert.True(GgmlLlamaConfig.TryRead(models.Small(family).BaseModelPath, out var config, out var reason), reason);
        return config;
    }

    private string Rewrite(string family, string name, Func<GgufFile, (string Key, GgufValue Value)?>? add = null, (string Key, GgufValue Value)? set = null,
        string? dropKey = null, string? dropTensor = null, string? extraTensor = null)
    {
        var source = models.Small(family).BaseModelPath;
        var file = GgufReader.Read(source);
        var writer = new GgufWriter();
        foreach (var (key, value) in file.Metadata.Where(m => m.Key != dropKey))
        {
            writer.Add(key, set is { } s && s.Key == key ? s.Value : value);
        }

        if (add?.Invoke(file) is { } added)
        {
            writer.Add(added.Key, added.Value);
        }

        using var stream = File.OpenRead(source);
        foreach (var tensor in file.Tensors.Where(t => t.Name != dropTensor))
        {
            var values = GgufReader.ReadTensorValues(stream, file, tensor);
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, data => data.WriteValues(values));
        }

        if (extraTensor is not null)
        {
            writer.AddTensor(extraTensor, GgmlType.F32, [64], data => data.WriteValues(new float[64]));
        }

        var path = Path.Combine(models.Root, "variants", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        writer.WriteTo(path);
        return path;
    }
}
