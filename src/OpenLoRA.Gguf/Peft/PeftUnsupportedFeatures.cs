using System.Text.Json;

namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// PEFT LoRA options that change what the saved weights mean in a way a llama.cpp LoRA adapter (pairs of A and B
/// plus one alpha) cannot express. Each is refused with the reason, instead of converting into an adapter that
/// loads but computes something else.
/// </summary>
internal static class PeftUnsupportedFeatures
{
    private static readonly (string Key, string Reason)[] WhenSet =
    [
        ("use_dora", "use_dora is not supported: llama.cpp has no DoRA magnitude vectors."),
        ("fan_in_fan_out", "fan_in_fan_out is not supported (it is for Conv1D models such as GPT-2, not the llama family)."),
        ("modules_to_save", "modules_to_save is not supported: it stores full copies of base weights (such as lm_head or embed_tokens), which a llama.cpp LoRA adapter cannot carry."),
        ("alpha_pattern", "alpha_pattern (per-module lora_alpha) is not supported: a GGUF adapter has a single adapter.lora.alpha."),
        ("lora_bias", "lora_bias is not supported: llama.cpp LoRA adapters have no bias on lora_B."),
        ("trainable_token_indices", "trainable_token_indices is not supported: it trains embedding rows, which a llama.cpp LoRA adapter cannot carry."),
        ("layer_replication", "layer_replication is not supported: it changes the base model's layer structure."),
        ("target_parameters", "target_parameters is not supported (LoRA on raw parameters such as MoE experts)."),
        ("use_qalora", "use_qalora is not supported: QA-LoRA pools the input of lora_A, which llama.cpp does not do."),
        ("alora_invocation_tokens", "activated LoRA (alora_invocation_tokens) is not supported."),
    ];

    public static void Check(JsonElement root, bool useRsLora)
    {
        foreach (var (key, reason) in WhenSet)
        {
            if (PeftJson.IsSet(root, key))
            {
                throw new PeftFormatException(reason);
            }
        }

        // Per-module ranks are fine on their own: llama.cpp scales each pair by alpha / (that pair's rank), as PEFT
        // does. With rsLoRA the scale is lora_alpha / sqrt(r), which one alpha cannot match for different ranks.
        if (useRsLora && PeftJson.IsSet(root, "rank_pattern"))
        {
            throw new PeftFormatException("rank_pattern together with use_rslora is not supported: the rsLoRA scale lora_alpha / sqrt(r) would differ per module, and a GGUF adapter has a single alpha.");
        }

        var bias = PeftJson.String(root, "bias");
        if (bias is not null && bias != "none")
        {
            throw new PeftFormatException($"bias = '{bias}' is not supported: PEFT then trains and saves base-model biases, which a llama.cpp LoRA adapter cannot carry.");
        }
    }
}
