namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// One PEFT LoRA pair bound for llama.cpp base tensor <see cref="Target"/>: A is torch [r, in], B is torch [out, r].
/// <see cref="PermuteHeads"/> is the head count of the rotary row permutation applied to B (0: none).
/// </summary>
internal sealed record PeftLoraPair(string Target, SafetensorsTensor A, SafetensorsTensor B, int PermuteHeads)
{
    public long Rank => A.Shape[0];

    public long InFeatures => A.Shape[1];

    public long OutFeatures => B.Shape[0];

    public GgmlType Type => A.DType switch
    {
        "F32" => GgmlType.F32,
        "F16" => GgmlType.F16,
        _ => GgmlType.BF16,
    };
}
