namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Checks adapter_config.json's target_modules against what a llama.cpp adapter on a llama model can carry: the
/// seven linear projections of each layer, and lm_head (llama.cpp's output.weight).
/// </summary>
internal static class PeftTargetModules
{
    /// <summary>PEFT's shorthand for every linear layer except the output head.</summary>
    public const string AllLinear = "all-linear";

    private static readonly string[] Names = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"];

    private static readonly HashSet<string> Supported = new(Names, StringComparer.Ordinal);

    /// <param name="targets">A list of module names, or one string (a regex or <see cref="AllLinear"/>); null when absent.</param>
    /// <param name="isList">False when the config held a single string, which PEFT matches as a regex: the tensors decide then.</param>
    public static void Check(IReadOnlyList<string>? targets, bool isList)
    {
        if (targets is null || !isList)
        {
            return;
        }

        foreach (var target in targets)
        {
            // PEFT matches list entries as suffixes of module paths, so "model.layers.0.self_attn.q_proj" is allowed.
            var module = target[(target.LastIndexOf('.') + 1)..];
            if (Supported.Contains(module) || target == AllLinear)
            {
                continue;
            }

            throw new PeftFormatException(module.Contains("embed", StringComparison.Ordinal) || module == "wte"
                ? $"target module '{target}' is not supported: LoRA on token embeddings uses another layout in llama.cpp."
                : $"target module '{target}' is not supported; llama adapters may target {string.Join(", ", Names)}.");
        }
    }
}
