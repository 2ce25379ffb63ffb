using System.Text;
using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.Tests.Support;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Peft;

/// <summary>
/// Seeded mutational fuzzing of both PEFT parsers and of the whole conversion: whatever the bytes, the only failure
/// that may come out is <see cref="PeftFormatException"/> (the server's 400 invalid_adapter). Each failing case is
/// reported with its seed, index and operators, which reproduce it exactly.
/// </summary>
public sealed class PeftParserFuzzTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    private const int Seed = 14;

    /// <summary>Valid configs that between them use every field the parser reads.</summary>
    private static readonly string[] Configs =
    [
        """{"peft_type":"LORA","r":4,"lora_alpha":8,"target_modules":["q_proj","v_proj"],"bias":"none","use_rslora":false,"use_dora":false,"fan_in_fan_out":false,"modules_to_save":null,"rank_pattern":{},"alpha_pattern":{},"base_model_name_or_path":"tiny","task_type":"CAUSAL_LM"}""",
        """{"peft_type":"LORA","r":8,"lora_alpha":16.5,"use_rslora":true,"target_modules":"model.*(q_proj|k_proj)","lora_dropout":0.05,"layer_replication":[],"lora_bias":false}""",
        """{"peft_type":"lora","r":2,"target_modules":["model.layers.0.self_attn.q_proj","lm_head"],"rank_pattern":{"q_proj":4},"trainable_token_indices":null,"use_qalora":false}""",
    ];

    [Fact]
    public void PeftConfigParse_FourThousandMutants_RaiseOnlyPeftFormatException()
    {
        var failures = new List<string>();
        var refused = 0;
        for (var c = 0; c < Configs.Length; c++)
        {
            var valid = Encoding.UTF8.GetBytes(Configs[c]);
            PeftConfig.Parse(valid);
            var mutator = new JsonMutator(valid, Seed + c);
            for (var i = 0; i < 1400; i++)
            {
                var (bytes, operators) = mutator.Next();
                try
                {
                    PeftConfig.Parse(bytes);
                }
                catch (PeftFormatException)
                {
                    refused++;
                }
                catch (Exception ex)
                {
                    failures.Add($"config {c}, seed {Seed + c}, case {i} ({operators}): {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.True(refused > 2000, $"only {refused} mutants were refused: the mutator is too gentle to test anything");
    }

    [Fact]
    public void SafetensorsOpen_FourThousandMutants_RaiseOnlyPeftFormatException()
    {
        var (safetensors, _) = PeftAdapterWriter.WriteTiny(tiny.Folder("fuzz-open"), "tiny-all-r2");
        var mutator = new SafetensorsMutator(File.ReadAllBytes(safetensors), Seed);
        var path = Path.Combine(tiny.Folder("fuzz-open-mutants"), "adapter_model.safetensors");
        var failures = new List<string>();
        var refused = 0;
        for (var i = 0; i < 4000; i++)
        {
            var (bytes, operators) = mutator.Next();
            File.WriteAllBytes(path, bytes);
            try
            {
                SafetensorsFile.Open(path);
            }
            catch (PeftFormatException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                failures.Add($"seed {Seed}, case {i} ({operators}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.True(refused > 2000, $"only {refused} mutants were refused: the mutator is too gentle to test anything");
    }

    /// <summary>The whole conversion (pairing, writing, validation) on mutants of either file, the other one valid.</summary>
    [Fact]
    public void Convert_ThousandMutantAdapters_RaiseOnlyPeftFormatException()
    {
        var (safetensors, config) = PeftAdapterWriter.WriteTiny(tiny.Folder("fuzz-convert"), "tiny-attn-r4");
        var weights = new SafetensorsMutator(File.ReadAllBytes(safetensors), Seed);
        var configs = new JsonMutator(File.ReadAllBytes(config), Seed);
        var folder = tiny.Folder("fuzz-convert-mutants");
        var mutantWeights = Path.Combine(folder, PeftConverter.WeightsFileName);
        var mutantConfig = Path.Combine(folder, PeftConverter.ConfigFileName);
        var output = Path.Combine(folder, "converted.gguf");
        var failures = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var mutateWeights = i % 2 == 0;
            var (bytes, operators) = mutateWeights ? weights.Next() : configs.Next();
            File.WriteAllBytes(mutantWeights, mutateWeights ? bytes : File.ReadAllBytes(safetensors));
            File.WriteAllBytes(mutantConfig, mutateWeights ? File.ReadAllBytes(config) : bytes);
            try
            {
                PeftConverter.Convert(mutantWeights, mutantConfig, tiny.Shapes, output);
            }
            catch (PeftFormatException)
            {
                // The documented refusal.
            }
            catch (Exception ex)
            {
                failures.Add($"seed {Seed}, case {i}, {(mutateWeights ? "weights" : "config")} ({operators}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    [Theory]
    [InlineData("""{"peft_type":"LORA","r":4,"lora_alpha":1e400}""", "lora_alpha")]
    [InlineData("""{"peft_type":"LORA","r":4,"lora_dropout":0,"use_dora":1e400}""", "use_dora")]
    [InlineData("""{"peft_type":"LORA","r":1e400}""", "r")]
    [InlineData("""{"peft_type":"LORA","r":99999999999999999999}""", "r")]
    public void PeftConfigParse_NumberBeyondDouble_IsAFormatErrorNamingTheField(string json, string field)
    {
        var ex = Assert.Throws<PeftFormatException>(() => PeftConfig.Parse(json));

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("peft_type")]
    [InlineData("bias")]
    [InlineData("target_modules")]
    public void PeftConfigParse_InvalidUtf8InsideAString_IsAFormatError(string field)
    {
        var prefix = Encoding.UTF8.GetBytes($$"""{"peft_type":"LORA","r":4,"{{field}}":"ab""");
        if (field == "peft_type")
        {
            prefix = Encoding.UTF8.GetBytes("""{"r":4,"peft_type":"LO""");
        }

        byte[] json = [.. prefix, 0xFF, 0xC0, 0x80, .. "\"}"u8];

        var ex = Assert.Throws<PeftFormatException>(() => PeftConfig.Parse(json));

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }
}
