using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.Tests.Support;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Peft;

public sealed class PeftConverterTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Theory]
    [InlineData("tiny-attn-r4")]
    [InlineData("tiny-mlp-r8")]
    [InlineData("tiny-all-r2")]
    [InlineData("tiny-out-r4")]
    public void Convert_PeftFormOfAGgufAdapter_ReproducesItsTensorsExactly(string name)
    {
        var source = tiny.AdapterPath(name);
        var peft = PeftAdapterWriter.FromGguf(source, tiny.Set.BaseModelPath, tiny.Folder("from-gguf-" + name));
        var output = Path.Combine(tiny.Folder("converted"), name + ".gguf");

        var conversion = PeftConverter.Convert(peft.Safetensors, peft.Config, tiny.Set.BaseModelPath, output);

        AssertSameTensors(source, output);
        Assert.True(AdapterValidator.Validate(output, tiny.Shapes).IsValid);
        Assert.Equal(GgufReader.Read(source).Tensors.Count / 2, conversion.Targets.Count);
    }

    [Theory]
    [InlineData("tiny-attn-r4")]
    [InlineData("tiny-all-r2")]
    public void Convert_PeftWrittenFromTheSpec_EqualsTheGeneratedGgufAdapter(string name)
    {
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("spec-" + name), name);
        var output = Path.Combine(tiny.Folder("converted"), name + ".spec.gguf");

        var conversion = PeftConverter.Convert(peft.Safetensors, peft.Config, tiny.Shapes, output);

        AssertSameTensors(tiny.AdapterPath(name), output);
        Assert.Equal(Alpha(tiny.AdapterPath(name)), conversion.Alpha);
    }

    [Fact]
    public void Convert_RsLoraForm_WritesTheAlphaThatKeepsPeftsScale()
    {
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("rslora"), "tiny-attn-r4", useRsLora: true);
        var output = Path.Combine(tiny.Folder("converted"), "rslora.gguf");

        var conversion = PeftConverter.Convert(peft.Safetensors, peft.Config, tiny.Shapes, output);

        // lora_alpha 4 with r 4: PEFT scale 4 / sqrt(4) = 2, so the GGUF alpha is 8 (8 / 4 = 2), as generated.
        Assert.Contains("\"lora_alpha\":4", File.ReadAllText(peft.Config));
        Assert.Equal(8f, conversion.Alpha);
        AssertSameTensors(tiny.AdapterPath("tiny-attn-r4"), output);
    }

    [Fact]
    public void Convert_WithoutRotaryPermutation_OnlyQAndKBDiffer()
    {
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("noperm"), "tiny-attn-r4");
        var output = Path.Combine(tiny.Folder("converted"), "noperm.gguf");

        PeftConverter.Convert(peft.Safetensors, peft.Config, tiny.Set.BaseModelPath, output, applyRotaryPermutation: false);

        var source = tiny.AdapterPath("tiny-attn-r4");
        var differing = GgufReader.Read(source).Tensors.Select(t => t.Name).Where(n => !TensorBytes(source, n).SequenceEqual(TensorBytes(output, n)));
        Assert.Equal(["blk.0.attn_k.weight.lora_b", "blk.0.attn_q.weight.lora_b", "blk.1.attn_k.weight.lora_b", "blk.1.attn_q.weight.lora_b"], differing.Order());
    }

    [Fact]
    public void Convert_SameInput_ByteIdenticalOutputThroughPathAndStream()
    {
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("det"), "tiny-all-r2");
        var one = Path.Combine(tiny.Folder("det-out"), "one.gguf");
        var two = Path.Combine(tiny.Folder("det-out"), "two.gguf");
        using var stream = new MemoryStream();

        PeftConverter.Convert(peft.Safetensors, peft.Config, tiny.Set.BaseModelPath, one);
        PeftConverter.Convert(peft.Safetensors, peft.Config, PeftBaseModel.FromFile(tiny.Set.BaseModelPath), two);
        PeftConverter.Convert(peft.Safetensors, peft.Config, tiny.Shapes, stream);

        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(two));
        Assert.Equal(File.ReadAllBytes(one), stream.ToArray());
    }

    [Fact]
    public void Convert_RankPattern_KeepsEachPairsOwnRank()
    {
        var folder = tiny.Folder("rank-pattern");
        var safetensors = Path.Combine(folder, PeftConverter.WeightsFileName);
        PeftAdapterWriter.WriteSafetensors(safetensors,
        [
            (Name("0.self_attn.q_proj", 'A'), "F32", [4, 64], Small(4 * 64)),
            (Name("0.self_attn.q_proj", 'B'), "F32", [64, 4], Small(64 * 4)),
            (Name("0.self_attn.v_proj", 'A'), "F32", [2, 64], Small(2 * 64)),
            (Name("0.self_attn.v_proj", 'B'), "F32", [32, 2], Small(32 * 2)),
        ]);
        var config = Config(folder, """{"peft_type":"LORA","r":4,"lora_alpha":8,"rank_pattern":{"v_proj":2}}""");
        var output = Path.Combine(folder, "out.gguf");

        var conversion = PeftConverter.Convert(safetensors, config, tiny.Shapes, output);

        Assert.Equal(4, conversion.Rank);
        Assert.Equal([2L, 32L], GgufReader.Read(output).Tensors.Single(t => t.Name == "blk.0.attn_v.weight.lora_b").Dimensions);
    }

    [Theory]
    [InlineData("base_model.model.model.embed_tokens.lora_A.weight", "token embeddings")]
    [InlineData("base_model.model.model.layers.0.self_attn.rotary_emb.lora_A.weight", "not a supported llama projection")]
    [InlineData("base_model.model.model.layers.0.input_layernorm.weight", "not a LoRA A/B weight")]
    [InlineData("base_model.model.model.layers.7.self_attn.q_proj.lora_A.weight", "blk.7.attn_q.weight is not a 2-D tensor of the base model")]
    public void Convert_UnsupportedTensor_RefusesWithReason(string tensorName, string reason)
    {
        var folder = tiny.Folder("unsupported");
        var safetensors = Path.Combine(folder, PeftConverter.WeightsFileName);
        var partner = tensorName.Replace(".lora_A.", ".lora_B.", StringComparison.Ordinal);
        PeftAdapterWriter.WriteSafetensors(safetensors, partner == tensorName
            ? [(tensorName, "F32", [64], new byte[256])]
            : [(tensorName, "F32", [2, 64], new byte[512]), (partner, "F32", [64, 2], new byte[512])]);

        AssertRefused(safetensors, Config(folder, """{"peft_type":"LORA","r":2,"lora_alpha":4}"""), reason);
    }

    [Theory]
    [InlineData("F32", "F32", 2, 64, 64, 2, 2, "the base tensor maps 64 → 32")]
    [InlineData("F32", "F32", 2, 32, 64, 2, 2, "LoRA maps 32 → 64 features")]
    [InlineData("F32", "F16", 2, 64, 64, 2, 2, "lora_A is F32 but lora_B is F16")]
    [InlineData("F32", "F32", 2, 64, 64, 3, 2, "lora_A has rank 2 but lora_B has rank 3")]
    [InlineData("F32", "F32", 2, 64, 64, 2, 4, "rank 2 differs from r = 4")]
    public void Convert_PairThatDoesNotFit_RefusesWithReason(string typeA, string typeB, int rankA, int inA, int outB, int rankB, int r, string reason)
    {
        var folder = tiny.Folder("misfit");
        var safetensors = Path.Combine(folder, PeftConverter.WeightsFileName);
        var module = reason.Contains("maps 64 → 32", StringComparison.Ordinal) ? "0.self_attn.k_proj" : "0.self_attn.q_proj";
        PeftAdapterWriter.WriteSafetensors(safetensors,
        [
            (Name(module, 'A'), typeA, [rankA, inA], new byte[rankA * inA * (typeA == "F32" ? 4 : 2)]),
            (Name(module, 'B'), typeB, [outB, rankB], new byte[outB * rankB * (typeB == "F32" ? 4 : 2)]),
        ]);

        AssertRefused(safetensors, Config(folder, $$"""{"peft_type":"LORA","r":{{r}}}"""), reason);
    }

    [Fact]
    public void Convert_HalfOfAPair_RefusesNamingTheMissingHalf()
    {
        var folder = tiny.Folder("half");
        var safetensors = Path.Combine(folder, PeftConverter.WeightsFileName);
        PeftAdapterWriter.WriteSafetensors(safetensors, [(Name("0.self_attn.q_proj", 'A'), "F32", [2, 64], new byte[512])]);

        AssertRefused(safetensors, Config(folder, """{"peft_type":"LORA","r":2}"""), "has no matching lora_B");
    }

    [Fact]
    public void Convert_NaNWeights_RefusedByTheValidatorAndNothingWritten()
    {
        var folder = tiny.Folder("nan");
        var safetensors = Path.Combine(folder, PeftConverter.WeightsFileName);
        var nan = Small(2 * 64);
        BitConverter.GetBytes(float.NaN).CopyTo(nan, 12);
        PeftAdapterWriter.WriteSafetensors(safetensors, [(Name("0.self_attn.v_proj", 'A'), "F32", [2, 64], nan), (Name("0.self_attn.v_proj", 'B'), "F32", [32, 2], Small(64))]);
        var output = Path.Combine(folder, "nan.gguf");

        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(safetensors, Config(folder, """{"peft_type":"LORA","r":2}"""), tiny.Shapes, output));

        Assert.Contains("is NaN", error.Message);
        Assert.Equal([PeftConverter.ConfigFileName, PeftConverter.WeightsFileName], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Convert_BaseModelWithoutHeadCounts_RefusesQButConvertsV()
    {
        var headless = new BaseModelShapes("llama", tiny.Shapes.Tensors);
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("headless"), "tiny-attn-r4");
        var folder = tiny.Folder("headless-v");
        var safetensors = Path.Combine(folder, PeftConverter.WeightsFileName);
        PeftAdapterWriter.WriteSafetensors(safetensors, [(Name("1.self_attn.v_proj", 'A'), "F32", [2, 64], Small(128)), (Name("1.self_attn.v_proj", 'B'), "F32", [32, 2], Small(64))]);
        using var sink = new MemoryStream();

        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(peft.Safetensors, peft.Config, headless, sink));
        PeftConverter.Convert(safetensors, Config(folder, """{"peft_type":"LORA","r":2}"""), headless, sink);

        Assert.Contains("no llama.attention.head_count", error.Message);
        Assert.NotEqual(0, sink.Length);
    }

    [Fact]
    public void Convert_HeadCountThatDoesNotDivideTheRows_Refuses()
    {
        var odd = new BaseModelShapes("llama", tiny.Shapes.Tensors, headCount: 3, kvHeadCount: 2);
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("odd"), "tiny-attn-r4");

        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(peft.Safetensors, peft.Config, odd, new MemoryStream()));

        Assert.Contains("64 output rows do not split into 3 heads", error.Message);
    }

    [Fact]
    public void Convert_LmHeadOnATiedBaseModel_RefusesWithReason()
    {
        var tied = new BaseModelShapes("llama", tiny.Shapes.Tensors.Where(t => t.Key != "output.weight").ToDictionary(), headCount: 4, kvHeadCount: 2);
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("tied"), "tiny-out-r4");

        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(peft.Safetensors, peft.Config, tied, new MemoryStream()));

        Assert.Contains("tied to the token embeddings", error.Message);
    }

    [Fact]
    public void Convert_UnsupportedArchitectureBaseModel_Refuses()
    {
        var phi = new BaseModelShapes("phi3", tiny.Shapes.Tensors, headCount: 4, kvHeadCount: 2);
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("phi"), "tiny-mlp-r8");

        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(peft.Safetensors, peft.Config, phi, new MemoryStream()));

        Assert.Contains("the base model is 'phi3'", error.Message);
    }

    [Fact]
    public void Convert_MissingInputs_RefusedAsFormatErrors()
    {
        var peft = PeftAdapterWriter.WriteTiny(tiny.Folder("missing"), "tiny-mlp-r8");
        var nowhere = Path.Combine(tiny.Folder("missing"), "nowhere");

        var noConfig = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(peft.Safetensors, nowhere, tiny.Shapes, new MemoryStream()));
        var noWeights = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(nowhere, peft.Config, tiny.Shapes, new MemoryStream()));

        Assert.Contains("adapter_config.json", noConfig.Message);
        Assert.Contains("adapter_model.safetensors", noWeights.Message);
    }

    [Fact]
    public void Convert_FailureOverAnExistingOutput_LeavesItUntouched()
    {
        var folder = tiny.Folder("keep");
        var output = Path.Combine(folder, "adapter.gguf");
        File.WriteAllText(output, "previous");
        var peft = PeftAdapterWriter.WriteTiny(Path.Combine(folder, "peft"), "tiny-attn-r4");
        File.WriteAllText(peft.Config, """{"peft_type":"LORA","r":4,"use_dora":true}""");

        Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(peft.Safetensors, peft.Config, tiny.Shapes, output));

        Assert.Equal("previous", File.ReadAllText(output));
        Assert.Equal(["adapter.gguf"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    private static string Name(string module, char half) => $"base_model.model.model.layers.{module}.lora_{half}.weight";

    private static byte[] Small(int floats) => [.. Enumerable.Range(0, floats).SelectMany(i => BitConverter.GetBytes((i % 7 - 3) * 0.01f))];

    private static string Config(string folder, string json)
    {
        var path = Path.Combine(folder, PeftConverter.ConfigFileName);
        File.WriteAllText(path, json);
        return path;
    }

    private void AssertRefused(string safetensors, string config, string reason)
    {
        var error = Assert.Throws<PeftFormatException>(() => PeftConverter.Convert(safetensors, config, tiny.Shapes, new MemoryStream()));

        Assert.Contains(reason, error.Message);
    }

    private static void AssertSameTensors(string expectedPath, string actualPath)
    {
        var expected = GgufReader.Read(expectedPath);
        var actual = GgufReader.Read(actualPath);
        Assert.Equal(Alpha(expectedPath), Alpha(actualPath));
        Assert.Equal(
            expected.Tensors.Select(t => (t.Name, t.Type, string.Join(',', t.Dimensions))).Order(),
            actual.Tensors.Select(t => (t.Name, t.Type, string.Join(',', t.Dimensions))).Order());
        foreach (var tensor in expected.Tensors)
        {
            Assert.True(TensorBytes(expectedPath, tensor.Name).SequenceEqual(TensorBytes(actualPath, tensor.Name)), $"{tensor.Name} differs");
        }
    }

    private static float Alpha(string path) => GgufReader.Read(path).Metadata.Single(m => m.Key == "adapter.lora.alpha").Value.Get<float>();

    private static byte[] TensorBytes(string path, string name)
    {
        var file = GgufReader.Read(path);
        var tensor = file.Tensors.Single(t => t.Name == name);
        using var stream = File.OpenRead(path);
        stream.Position = file.DataOffset + tensor.Offset;
        var bytes = new byte[tensor.ByteSize];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
