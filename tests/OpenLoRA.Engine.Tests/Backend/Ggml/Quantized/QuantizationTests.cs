using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf;
using Xunit.Abstractions;

namespace OpenLoRA.Engine.Tests.Backend.Ggml.Quantized;

/// <summary>
/// <see cref="ModelQuantizer"/> writes llama.cpp's quantizations of the small model: read back with our own
/// <see cref="GgufReader"/>, every tensor has the type llama.cpp's rules give it at the shipped commit (norms stay F32;
/// the mixes put the output head, and attn_v / ffn_down of some layers, in Q6_K), and the ggml backend's validation
/// accepts every file.
/// </summary>
[Collection(QuantizedCollection.Name)]
public sealed class QuantizationTests(QuantizedModels models, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Q8_0", GgmlType.Q8_0, GgmlType.Q8_0, new[] { GgmlType.Q8_0 })]
    [InlineData("Q4_0", GgmlType.Q4_0, GgmlType.Q6_K, new[] { GgmlType.Q4_0, GgmlType.Q6_K })]
    [InlineData("Q6_K", GgmlType.Q6_K, GgmlType.Q6_K, new[] { GgmlType.Q6_K })]
    [InlineData("Q4_K_M", GgmlType.Q4_K, GgmlType.Q6_K, new[] { GgmlType.Q4_K, GgmlType.Q6_K })]
    [InlineData("Q5_K_M", GgmlType.Q5_K, GgmlType.Q6_K, new[] { GgmlType.Q5_K, GgmlType.Q6_K })]
    [InlineData("Q4_K", GgmlType.Q4_K, GgmlType.Q4_K, new[] { GgmlType.Q4_K })]
    [InlineData("Q5_K", GgmlType.Q5_K, GgmlType.Q5_K, new[] { GgmlType.Q5_K })]
    public void Quantize_SmallModel_WritesLlamaCppsTypeForEveryTensor(string type, GgmlType projections, GgmlType head, GgmlType[] allowed)
    {
        var path = models.SmallIn(type);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(models.Small.BaseModelPath)!, $"small-llama-{type}.gguf"), path);

        var file = GgufReader.Read(path);
        foreach (var tensor in file.Tensors)
        {
            output.WriteLine($"{tensor.Name} {tensor.ShapeText} {tensor.Type}");
        }

        Assert.All(file.Tensors.Where(t => t.Dimensions.Count == 1), t => Assert.Equal(GgmlType.F32, t.Type));
        var matrices = file.Tensors.Where(t => t.Dimensions.Count == 2).ToList();
        Assert.Equal(4 * 7 + 2, matrices.Count);
        Assert.All(matrices, t => Assert.Contains(t.Type, allowed));
        Assert.All(matrices.Where(t => t.Name.EndsWith("attn_q.weight", StringComparison.Ordinal)), t => Assert.Equal(projections, t.Type));
        Assert.Equal(head, file.Tensors.Single(t => t.Name == "output.weight").Type);
        Assert.True(GgmlLlamaConfig.TryRead(path, out _, out var reason), reason);
    }

    /// <summary>The mixes are mixes: llama.cpp gives more bits to some attn_v and ffn_down matrices (its use_more_bits).</summary>
    [Theory]
    [InlineData("Q4_K_M", GgmlType.Q4_K)]
    [InlineData("Q5_K_M", GgmlType.Q5_K)]
    public void Quantize_SmallModelToAKMix_GivesSomeAttentionValueAndDownMatricesQ6K(string type, GgmlType main)
    {
        var file = GgufReader.Read(models.SmallIn(type));

        foreach (var projection in new[] { "attn_v", "ffn_down" })
        {
            var types = file.Tensors.Where(t => t.Name.EndsWith($"{projection}.weight", StringComparison.Ordinal)).Select(t => t.Type).ToList();
            Assert.Contains(GgmlType.Q6_K, types);
        }

        Assert.Contains(file.Tensors, t => t.Type == main && t.Name.EndsWith("ffn_up.weight", StringComparison.Ordinal));
    }

    /// <summary>
    /// The tiny model's rows (64 and 128) are not whole K-quant blocks of 256: llama.cpp falls back to other types per
    /// tensor, and the file still runs on the ggml backend.
    /// </summary>
    [Fact]
    public void Quantize_TinyModelToQ4KM_FallsBackToTypesTheGgmlBackendRuns()
    {
        var path = models.TinyIn("Q4_K_M");

        var file = GgufReader.Read(path);
        foreach (var tensor in file.Tensors)
        {
            output.WriteLine($"{tensor.Name} {tensor.ShapeText} {tensor.Type}");
        }

        Assert.DoesNotContain(file.Tensors, t => t.Type is GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K);
        Assert.Contains(file.Tensors, t => t.Type is not GgmlType.F32 and not GgmlType.F16);
        Assert.True(GgmlLlamaConfig.TryRead(path, out _, out var reason), reason);
    }

    [Fact]
    public void Quantize_UnknownType_IsRefusedBeforeAnythingIsWritten()
    {
        var source = models.Small.BaseModelPath;

        Assert.Throws<ArgumentException>(() => ModelQuantizer.Quantize(source, "Q3_XYZ"));

        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(source)!, "*Q3_XYZ*"));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(source)!, "*.tmp"));
    }
}
