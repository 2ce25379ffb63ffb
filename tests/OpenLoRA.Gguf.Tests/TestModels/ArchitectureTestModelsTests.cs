using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.Tests.Support;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.TestModels;

/// <summary>
/// The architecture test models carry llama.cpp's tensor names and keys for their family, every weight row is a whole
/// number of 256-wide K-quant blocks, and each PEFT twin converts back to its GGUF adapter's exact tensors (row
/// permutation for llama files only).
/// </summary>
public sealed class ArchitectureTestModelsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void EnsureArchitectureModels_Small_WritesEachFamilyWithItsTensorSetAndKeys()
    {
        var sets = TestModelGenerator.EnsureArchitectureModels(_directory.Path, ArchitectureModelSize.Small).ToDictionary(s => s.Family);

        Assert.Equal(TestModelGenerator.ArchitectureFamilies, sets.Keys);
        foreach (var set in sets.Values)
        {
            var file = GgufReader.Read(set.BaseModelPath);
            Assert.Equal(set.Architecture, file.GetString("general.architecture"));
            Assert.Equal(Path.Combine(_directory.Path, "arch", $"{set.Family}-small.gguf"), set.BaseModelPath);
            Assert.Equal(Path.Combine(_directory.Path, "arch", "adapters", $"{set.Family}-small-r8.gguf"), set.AdapterPaths[0]);
            Assert.True(File.Exists(Path.Combine(set.PeftDirectories[0], "adapter_config.json")));
            Assert.All(file.Tensors.Where(t => t.Dimensions.Count == 2), t => Assert.Equal(0, t.Dimensions[0] % 256));
            Assert.Equal(set.Architecture, GgufReader.Read(set.AdapterPaths[0]).GetString("general.architecture"));
        }

        Assert.Equal(["llama", "llama", "llama", "qwen2", "qwen3", "gemma2", "gemma3"], sets.Values.Select(s => s.Architecture));
        Assert.True(Has(sets["llama3"], "rope_freqs.weight"));
        Assert.Equal(8u, Key<uint>(sets["mistral"], "llama.attention.head_count"));
        Assert.Equal("linear", Key<string>(sets["llama-linear"], "llama.rope.scaling.type"));
        Assert.True(Has(sets["qwen2"], "blk.1.attn_v.bias"));
        Assert.False(Has(sets["qwen2"], "output.weight"));
        Assert.True(Has(sets["qwen3"], "blk.0.attn_q_norm.weight"));
        Assert.Equal(128u, Key<uint>(sets["qwen3"], "qwen3.attention.key_length"));
        Assert.True(Has(sets["gemma2"], "blk.0.post_attention_norm.weight") && Has(sets["gemma2"], "blk.0.post_ffw_norm.weight"));
        Assert.Equal(32u, Key<uint>(sets["gemma2"], "gemma2.attention.sliding_window"));
        Assert.Equal(8f, Key<float>(sets["gemma2"], "gemma2.final_logit_softcapping"));
        Assert.True(Has(sets["gemma3"], "blk.5.attn_k_norm.weight"));
        Assert.False(Has(sets["gemma3"], "output.weight"));
    }

    [Fact]
    public void EnsureArchitectureModels_TwiceIntoTwoFolders_ByteIdentical()
    {
        using var other = new TempDirectory();
        var a = TestModelGenerator.EnsureArchitectureModels(_directory.Path, ArchitectureModelSize.Small, ["gemma2"])[0];
        var b = TestModelGenerator.WriteArchitectureModels(other.Path, ArchitectureModelSize.Small, ["gemma2"])[0];

        Assert.Equal(File.ReadAllBytes(a.BaseModelPath), File.ReadAllBytes(b.BaseModelPath));
        Assert.Equal(File.ReadAllBytes(a.AdapterPaths[1]), File.ReadAllBytes(b.AdapterPaths[1]));
    }

    /// <summary>Before per-architecture conversion, every non-llama base model was refused.</summary>
    [Theory]
    [InlineData("llama3")]
    [InlineData("mistral")]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    [InlineData("gemma2")]
    [InlineData("gemma3")]
    public void Convert_PeftTwin_ReproducesTheGgufAdapterTensorForTensor(string family)
    {
        var set = TestModelGenerator.EnsureArchitectureModels(_directory.Path, ArchitectureModelSize.Small, [family])[0];
        for (var i = 0; i < set.AdapterPaths.Count; i++)
        {
            var converted = Path.Combine(_directory.Path, $"{family}-{i}.gguf");
            var peft = set.PeftDirectories[i];
            PeftConverter.Convert(Path.Combine(peft, PeftConverter.WeightsFileName), Path.Combine(peft, PeftConverter.ConfigFileName), set.BaseModelPath, converted);

            var expected = Tensors(set.AdapterPaths[i]);
            var actual = Tensors(converted);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (name, bytes) in expected)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{family}: {name} differs after conversion");
            }
        }
    }

    private static bool Has(ArchitectureModelSet set, string tensor) => GgufReader.Read(set.BaseModelPath).TryGetTensor(tensor, out _);

    private static T Key<T>(ArchitectureModelSet set, string key) => GgufReader.Read(set.BaseModelPath).Metadata.Single(m => m.Key == key).Value.Get<T>();

    private static Dictionary<string, byte[]> Tensors(string path)
    {
        var file = GgufReader.Read(path);
        using var stream = File.OpenRead(path);
        return file.Tensors.ToDictionary(t => t.Name, t =>
        {
            var data = new byte[t.ByteSize];
            stream.Position = file.DataOffset + t.Offset;
            stream.ReadExactly(data);
            return data;
        });
    }
}
