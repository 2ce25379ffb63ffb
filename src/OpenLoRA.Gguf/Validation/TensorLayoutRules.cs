using OpenLoRA.Gguf.Numerics;

namespace OpenLoRA.Gguf.Validation;

/// <summary>
/// Per-tensor rules: 2-D only (3-D tensors abort at decode), no dimension below 1 (a zero divides by zero while
/// loading), F32/F16/BF16 only (integer types crash at decode), and data laid out exactly as gguf.cpp expects:
/// in file order, each tensor starting where the previous one ends, padded to the alignment.
/// </summary>
internal static class TensorLayoutRules
{
    public static string? Check(GgufFile file)
    {
        if (file.Tensors.Count == 0)
        {
            return "the adapter has no tensors";
        }

        long expectedOffset = 0;
        foreach (var tensor in file.Tensors)
        {
            if (tensor.Dimensions.Count != 2)
            {
                return $"tensor '{tensor.Name}' has {tensor.Dimensions.Count} dimensions {tensor.ShapeText}; LoRA tensors must be 2-D";
            }

            if (tensor.Dimensions.Any(d => d < 1))
            {
                return $"tensor '{tensor.Name}' has shape {tensor.ShapeText}; every dimension must be at least 1";
            }

            if (!TensorElementCodec.IsSupported(tensor.Type))
            {
                return $"tensor '{tensor.Name}' has type {tensor.Type}; only F32, F16 and BF16 are allowed";
            }

            if (tensor.Offset != expectedOffset)
            {
                var problem = tensor.Offset < expectedOffset ? "overlaps the tensor before it" : "leaves a gap after the tensor before it";
                return $"tensor '{tensor.Name}' has data offset {tensor.Offset} and {problem}; expected {expectedOffset} (tensor data must be in file order, contiguous and aligned)";
            }

            expectedOffset += (tensor.ByteSize + file.Alignment - 1) / file.Alignment * file.Alignment;
        }

        return null;
    }
}
