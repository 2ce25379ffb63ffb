namespace OpenLoRA.Gguf.Validation;

/// <summary>The two halves of one LoRA update: A (ne [n_in, r]) and B (ne [r, n_out]) for base tensor <see cref="Target"/>.</summary>
internal sealed class LoraPair(string target)
{
    public const string SuffixA = ".lora_a";
    public const string SuffixB = ".lora_b";

    public string Target { get; } = target;

    public GgufTensorInfo? A { get; set; }

    public GgufTensorInfo? B { get; set; }
}
