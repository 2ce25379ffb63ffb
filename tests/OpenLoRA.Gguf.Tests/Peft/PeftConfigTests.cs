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
        Assert.Equal(["q_proj", "v_proj"], config.TargetModules);
    }

    [Fact]
    public void Parse_RsLora_ScalesAlphaSoLlamaCppKeepsPeftsScale()
    {
        var config = PeftConfig.Parse("""{"r":16,"lora_alpha":8,"use_rslora":true}""");

        // PEFT scale = 8 / sqrt(16) = 2; llama.cpp scale = alpha / r, so alpha must be 32.
        Assert.Equal(32f, config.GgufAlpha, 4);
    }

    [Theory]
    [InlineData("""{"r":8,"modules_to_save":["lm_head"]}""", "modules_to_save")]
    [InlineData("""{"r":8,"use_dora":true}""", "use_dora")]
    [InlineData("""{"r":8,"fan_in_fan_out":true}""", "fan_in_fan_out")]
    [InlineData("""{"r":8,"rank_pattern":{"q_proj":4}}""", "rank_pattern")]
    [InlineData("""{"peft_type":"IA3","r":8}""", "IA3")]
    [InlineData("""{"lora_alpha":8}""", "no integer r")]
    [InlineData("""{"r":0}""", "out of range")]
    [InlineData("""[1,2]""", "not a JSON object")]
    [InlineData("""{"r":""", "not valid JSON")]
    public void Parse_UnsupportedOrMalformed_RefusesWithReason(string json, string reason)
    {
        var error = Assert.Throws<PeftFormatException>(() => PeftConfig.Parse(json));

        Assert.Contains(reason, error.Message);
    }
}
