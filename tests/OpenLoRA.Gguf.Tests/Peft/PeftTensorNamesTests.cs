using OpenLoRA.Gguf.Peft;

namespace OpenLoRA.Gguf.Tests.Peft;

public sealed class PeftTensorNamesTests
{
    [Theory]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "blk.0.attn_q.weight", true)]
    [InlineData("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight", "blk.1.attn_k.weight", false)]
    [InlineData("base_model.model.model.layers.2.self_attn.v_proj.lora_A.weight", "blk.2.attn_v.weight", true)]
    [InlineData("base_model.model.model.layers.3.self_attn.o_proj.lora_B.weight", "blk.3.attn_output.weight", false)]
    [InlineData("base_model.model.model.layers.4.mlp.gate_proj.lora_A.weight", "blk.4.ffn_gate.weight", true)]
    [InlineData("base_model.model.model.layers.15.mlp.up_proj.lora_A.weight", "blk.15.ffn_up.weight", true)]
    [InlineData("base_model.model.model.layers.79.mlp.down_proj.lora_B.weight", "blk.79.ffn_down.weight", false)]
    [InlineData("base_model.model.lm_head.lora_B.weight", "output.weight", false)]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight", "blk.0.attn_q.weight", true)]
    [InlineData("model.layers.0.self_attn.q_proj.lora_B.weight", "blk.0.attn_q.weight", false)]
    public void Map_HuggingFaceLlamaName_GivesLlamaCppTarget(string name, string target, bool isA)
    {
        var (mapped, mappedIsA, refusal) = PeftTensorNames.Map(name);

        Assert.Null(refusal);
        Assert.Equal(target, mapped);
        Assert.Equal(isA, mappedIsA);
    }

    [Theory]
    [InlineData("base_model.model.model.embed_tokens.lora_embedding_A", "token embeddings")]
    [InlineData("base_model.model.model.embed_tokens.lora_A.weight", "token embeddings")]
    [InlineData("base_model.model.model.layers.0.self_attn.rotary_emb.lora_A.weight", "not a supported llama projection")]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.base_layer.weight", "not a LoRA A/B weight")]
    [InlineData("base_model.model.model.layers.0.input_layernorm.weight", "not a LoRA A/B weight")]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector", "not a LoRA A/B weight")]
    [InlineData("base_model.model.model.layers.0.self_attn.q_proj.lora_C.weight", "not a LoRA A/B weight")]
    [InlineData("base_model.model.model.layers.١.self_attn.q_proj.lora_A.weight", "not a supported llama projection")]
    [InlineData("base_model.model.model.layers.99999.self_attn.q_proj.lora_A.weight", "not a supported llama projection")]
    public void Map_UnsupportedName_GivesReason(string name, string reason)
    {
        var (target, _, refusal) = PeftTensorNames.Map(name);

        Assert.Null(target);
        Assert.Contains(reason, refusal);
    }
}
