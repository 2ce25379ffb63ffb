namespace OpenLoRA.Gguf.Peft;

/// <summary>One tensor of a safetensors file: dtype, torch shape (row-major) and byte range after the header.</summary>
public sealed record SafetensorsTensor(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public int ElementSize => DType switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        _ => throw new PeftFormatException($"Tensor '{Name}' has dtype {DType}; only F32, F16 and BF16 are supported."),
    };
}
