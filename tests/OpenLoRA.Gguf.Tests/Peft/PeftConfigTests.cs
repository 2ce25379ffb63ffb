using System.Text;
using OpenLoRA.Gguf.Peft;

namespace OpenLoRA.Gguf.Tests.Peft;

public sealed class PeftConfigTests
{
    [Fact]
    public void Parse_PlainLora_ReadsRankAlphaAndTargets()
    {
        var config = PeftConfig.Parse("""{"peft_type":"LORA","r":8,"lora_alpha":16,"target_modules":["q_proj","v_proj"],"modules_to_save":null}""");

        Assert.Equal(8, config.Rank);
        Assert.Equal(16f, config.GgufAlpha);
        Assert.False(config.UseRsLora);
        Assert.Equal(["q_proj", "v_proj"], config.TargetModules);
    }

    [Fact]
    public void Parse_RsLora_ScalesAlphaSoLlamaCppKeepsPeftsScale()
    {
        var config = PeftConfig.Parse("""{"peft_type":"LORA","r":16,"lora_alpha":8,"use_rslora":true}""");

        // PEFT scale = 8 / sqrt(16) = 2; llama.cpp scale = alpha / r, so alpha must be 32.
        Assert.Equal(32f, config.GgufAlpha);
        Assert.Equal(2f, config.GgufAlpha / config.Rank);
    }

    [Fact]
    public void Parse_NoLoraAlpha_UsesPeftsDefaultOfEight()
    {
        var config = PeftConfig.Parse("""{"peft_type":"LORA","r":4}""");

        Assert.Equal(PeftConfig.DefaultLoraAlpha, config.LoraAlpha);
    }

    [Fact]
    public void Parse_RealPeftConfigWithHarmlessDefaults_Accepted()
    {
        var config = PeftConfig.Parse("""
            {"alpha_pattern":{},"auto_mapping":null,"base_model_name_or_path":"meta-llama/Llama-3.2-1B","bias":"none",
             "fan_in_fan_out":false,"inference_mode":true,"init_lora_weights":true,"layers_pattern":null,
             "layers_to_transform":[0,1],"loftq_config":{},"lora_alpha":32,"lora_dropout":0.05,"megatron_config":null,
             "modules_to_save":[],"peft_type":"LORA","r":16,"rank_pattern":{},"revision":null,
             "target_modules":["k_proj","o_proj","gate_proj","q_proj","v_proj","up_proj","down_proj"],
             "task_type":"CAUSAL_LM","use_dora":false,"use_rslora":false,"trainable_token_indices":null,"lora_bias":false}
            """);

        Assert.Equal(16, config.Rank);
        Assert.Equal(32f, config.GgufAlpha);
        Assert.False(config.HasRankPattern);
        Assert.Equal(7, config.TargetModules.Count);
    }

    [Theory]
    [InlineData("""{"peft_type":"LORA","r":8,"target_modules":"all-linear"}""")]
    [InlineData("""{"peft_type":"LORA","r":8,"target_modules":".*\\.(q|v)_proj"}""")]
    [InlineData("""{"peft_type":"LORA","r":8,"target_modules":["model.layers.0.self_attn.q_proj","lm_head"]}""")]
    [InlineData("""{"peft_type":"lora","r":8,"target_modules":null}""")]
    [InlineData("""{"peft_type":"LORA","r":8,"use_dora":0,"lora_bias":false,"bias":null,"modules_to_save":[],"alpha_pattern":{}}""")]
    public void Parse_TargetsThatTheTensorsDecideOrThatAreSupported_Accepted(string json)
    {
        Assert.Equal(8, PeftConfig.Parse(json).Rank);
    }

    [Fact]
    public void Parse_RankPatternWithoutRsLora_AcceptedWithPerModuleRanks()
    {
        var config = PeftConfig.Parse("""{"peft_type":"LORA","r":8,"lora_alpha":16,"rank_pattern":{"q_proj":4}}""");

        Assert.True(config.HasRankPattern);
    }

    [Fact]
    public void Parse_Utf8ByteOrderMark_Skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"peft_type":"LORA","r":2}""")).ToArray();

        Assert.Equal(2, PeftConfig.Parse(bytes).Rank);
    }

    [Theory]
    [InlineData("""{"peft_type":"LORA","r":8,"modules_to_save":["lm_head"]}""", "modules_to_save is not supported")]
    [InlineData("""{"peft_type":"LORA","r":8,"use_dora":true}""", "use_dora is not supported")]
    [InlineData("""{"peft_type":"LORA","r":8,"fan_in_fan_out":true}""", "fan_in_fan_out is not supported")]
    [InlineData("""{"peft_type":"LORA","r":8,"alpha_pattern":{"q_proj":4}}""", "alpha_pattern")]
    [InlineData("""{"peft_type":"LORA","r":8,"use_rslora":true,"rank_pattern":{"q_proj":4}}""", "rank_pattern together with use_rslora")]
    [InlineData("""{"peft_type":"LORA","r":8,"bias":"all"}""", "bias = 'all' is not supported")]
    [InlineData("""{"peft_type":"LORA","r":8,"bias":"lora_only"}""", "bias = 'lora_only' is not supported")]
    [InlineData("""{"peft_type":"LORA","r":8,"lora_bias":true}""", "lora_bias is not supported")]
    [InlineData("""{"peft_type":"LORA","r":8,"trainable_token_indices":[5,6]}""", "trainable_token_indices")]
    [InlineData("""{"peft_type":"LORA","r":8,"layer_replication":[[0,2]]}""", "layer_replication")]
    [InlineData("""{"peft_type":"LORA","r":8,"target_parameters":["experts.gate_up_proj"]}""", "target_parameters")]
    [InlineData("""{"peft_type":"LORA","r":8,"use_qalora":true}""", "use_qalora")]
    [InlineData("""{"peft_type":"LORA","r":8,"target_modules":["q_proj","embed_tokens"]}""", "'embed_tokens' is not supported: LoRA on token embeddings")]
    [InlineData("""{"peft_type":"LORA","r":8,"target_modules":["q_proj","rotary_emb"]}""", "'rotary_emb' is not supported; llama adapters may target q_proj")]
    [InlineData("""{"peft_type":"LORA","r":8,"target_modules":[1]}""", "target_modules must be a string or a list of strings")]
    [InlineData("""{"peft_type":"IA3","r":8}""", "peft_type IA3 is not supported")]
    [InlineData("""{"r":8}""", "has no peft_type")]
    [InlineData("""{"peft_type":"LORA","lora_alpha":8}""", "no integer r")]
    [InlineData("""{"peft_type":"LORA","r":8.5}""", "r must be an integer")]
    [InlineData("""{"peft_type":"LORA","r":0}""", "r = 0 is out of range")]
    [InlineData("""{"peft_type":"LORA","r":8,"lora_alpha":"16"}""", "lora_alpha must be a number, not \"16\"")]
    [InlineData("""{"peft_type":"LORA","r":8,"lora_alpha":-16}""", "lora_alpha = -16 is out of range")]
    [InlineData("""{"peft_type":"LORA","r":8,"lora_alpha":1e30}""", "is out of range")]
    [InlineData("""{"peft_type":"LORA","r":65536,"lora_alpha":9000,"use_rslora":true}""", "gives a GGUF alpha")]
    [InlineData("""{"peft_type":"LORA","r":8,"use_rslora":"true"}""", "use_rslora must be true or false")]
    [InlineData("""[1,2]""", "not a JSON object")]
    [InlineData("""{"r":""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public void Parse_UnsupportedOrMalformed_RefusesWithReason(string json, string reason)
    {
        var error = Assert.Throws<PeftFormatException>(() => PeftConfig.Parse(json));

        Assert.Contains(reason, error.Message);
    }
}
