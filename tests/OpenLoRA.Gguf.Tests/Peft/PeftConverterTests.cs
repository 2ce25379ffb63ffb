using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Peft;

public sealed class PeftConverterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("openlora-peft-").FullName;
    private readonly TestModelSet _models;

    public PeftConverterTests()
    {
        _models = TestModelGenerator.EnsureTinyModels(Path.Combine(_directory, "models"));
    }

    [Theory]
    [InlineData("tiny-attn-r4")]
    [InlineData("tiny-mlp-r8")]
    [InlineData("tiny-all-r2")]
    [InlineData("tiny-out-r4")]
    public void Convert_PeftFormOfAGgufAdapter_ReproducesItsTensorsExactly(string name)
    {
        var source = _models.AdapterPaths.Single(p => Path.GetFileNameWithoutExtension(p) == name);
        var peft = PeftAdapterWriter.FromGguf(source, _models.BaseModelPath, Path.Combine(_directory, name));
        var output = Path.Combine(_directory, name + ".converted.gguf");

        var conversion = PeftConverter.Convert(peft.Safetensors, peft.Config, _models.BaseModelPath, output);

        var original = GgufReader.Read(source);
        var converted = GgufReader.Read(output);
        Assert.Equal(original.Tensors.Select(t => (t.Name, t.Type, string.Join(',', t.Dimensions))).Order(), converted.Tensors.Select(t => (t.Name, t.Type, string.Join(',', t.Dimensions))).Order());
        foreach (var tensor in original.Tensors)
        {
            Assert.True(converted.TryGetTensor(tensor.Name, out var other));
            Assert.Equal(Bytes(source, original, tensor), Bytes(output, converted, other));
        }

        Assert.True(AdapterValidator.Validate(output, BaseModelShapes.FromFile(_models.BaseModelPath)).IsValid);
        Assert.NotEmpty(conversion.Targets);
    }

    [Fact]
    public void Convert_SameInput_ByteIdenticalOutput()
    {
        var source = _models.AdapterPaths.Single(p => p.Contains("tiny-all-r2", StringComparison.Ordinal));
        var peft = PeftAdapterWriter.FromGguf(source, _models.BaseModelPath, Path.Combine(_directory, "det"));

        PeftConverter.Convert(peft.Safetensors, peft.Config, _models.BaseModelPath, Path.Combine(_directory, "one.gguf"));
        PeftConverter.Convert(peft.Safetensors, peft.Config, _models.BaseModelPath, Path.Combine(_directory, "two.gguf"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, "one.gguf")), File.ReadAllBytes(Path.Combine(_directory, "two.gguf")));
    }

    [Theory]
    [InlineData("base_model.model.model.embed_tokens.lora_A.weight", "embeddings")]
    [InlineData("base_model.model.model.layers.0.self_attn.rotary_emb.lora_A.weight", "not a supported llama projection")]
    [InlineData("base_model.model.model.layers.0.input_layernorm.weight", "not a LoRA A/B weight")]
    public void Convert_UnsupportedTensor_RefusesWithReason(string tensorName, string reason)
    {
        var safetensors = Path.Combine(_directory, "bad.safetensors");
        PeftAdapterWriter.WriteSafetensors(safetensors, [(tensorName, "F32", [2, 64], new byte[512])]);
        var config = Path.Combine(_directory, "adapter_config.json");
        File.WriteAllText(config, """{"peft_type":"LORA","r":2,"lora_alpha":4}""");

        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(safetensors, config, _models.BaseModelPath, Path.Combine(_directory, "out.gguf")));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Convert_ShapeThatDoesNotMatchTheBaseModel_Refuses()
    {
        var safetensors = Path.Combine(_directory, "shape.safetensors");
        PeftAdapterWriter.WriteSafetensors(safetensors,
        [
            ("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "F32", [2, 32], new byte[256]),
            ("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", "F32", [64, 2], new byte[512]),
        ]);
        var config = Path.Combine(_directory, "adapter_config.json");
        File.WriteAllText(config, """{"peft_type":"LORA","r":2,"lora_alpha":4}""");

        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(safetensors, config, _models.BaseModelPath, Path.Combine(_directory, "out.gguf")));

        Assert.Contains("the base tensor maps", error.Message);
    }

    [Fact]
    public void PermuteRows_ThenUnpermute_IsIdentityAndInterleavesHalves()
    {
        var rows = Enumerable.Range(0, 8).Select(i => (byte)i).ToArray();

        var permuted = RotaryPermutation.PermuteRows(rows, 8, 1, 2);

        // Two heads of 4 rows: halves [0,1][2,3] interleave to 0,2,1,3.
        Assert.Equal(new byte[] { 0, 2, 1, 3, 4, 6, 5, 7 }, permuted);
        Assert.Equal(rows, RotaryPermutation.UnpermuteRows(permuted, 8, 1, 2));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Bytes(string path, GgufFile file, GgufTensorInfo tensor)
    {
        using var stream = File.OpenRead(path);
        stream.Position = file.DataOffset + tensor.Offset;
        var bytes = new byte[tensor.ByteSize];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
