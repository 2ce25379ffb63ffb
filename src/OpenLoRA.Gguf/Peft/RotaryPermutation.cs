namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// The row reordering llama.cpp's convert_hf_to_gguf.py applies to llama q and k projections
/// (<c>LlamaModel.permute</c>: <c>w.reshape(n_head, 2, rows / n_head / 2, ...).swapaxes(1, 2).reshape(w.shape)</c>,
/// with n_head_kv heads for k). Hugging Face's rotary embedding pairs dimension i of a head with i + d/2
/// (rotate_half); llama.cpp's llama rope pairs 2i with 2i + 1, so row h·d + half·d/2 + i moves to h·d + 2·i + half.
/// Rows are output features, so for a LoRA only B (torch [out, r]) is permuted and A is untouched: in
/// convert_lora_to_gguf.py the reshape/swapaxes of a LoraTorchTensor only reach lora_B when the last (input)
/// dimension is kept, which this reshape does.
/// </summary>
internal static class RotaryPermutation
{
    /// <summary>Whether <paramref name="rowCount"/> rows split into <paramref name="heads"/> heads of even size.</summary>
    public static bool CanSplit(long rowCount, int heads) => heads > 0 && rowCount % heads == 0 && rowCount / heads % 2 == 0;

    /// <summary>Hugging Face order to llama.cpp order, for one head's rows (<paramref name="rowBytes"/> bytes each).</summary>
    public static void PermuteHead(ReadOnlySpan<byte> huggingFace, Span<byte> llamaCpp, int rowBytes) =>
        ReorderHead(huggingFace, llamaCpp, rowBytes, toLlamaCpp: true);

    /// <summary>The inverse of <see cref="PermuteHead"/>.</summary>
    public static void UnpermuteHead(ReadOnlySpan<byte> llamaCpp, Span<byte> huggingFace, int rowBytes) =>
        ReorderHead(llamaCpp, huggingFace, rowBytes, toLlamaCpp: false);

    /// <param name="rows">Row-major data of <paramref name="rowCount"/> rows of <paramref name="rowBytes"/> bytes.</param>
    public static byte[] PermuteRows(ReadOnlySpan<byte> rows, int rowCount, int rowBytes, int heads) =>
        Reorder(rows, rowCount, rowBytes, heads, toLlamaCpp: true);

    /// <summary>The inverse, for writing Hugging Face-ordered test adapters from llama.cpp-ordered weights.</summary>
    public static byte[] UnpermuteRows(ReadOnlySpan<byte> rows, int rowCount, int rowBytes, int heads) =>
        Reorder(rows, rowCount, rowBytes, heads, toLlamaCpp: false);

    private static byte[] Reorder(ReadOnlySpan<byte> rows, int rowCount, int rowBytes, int heads, bool toLlamaCpp)
    {
        if (!CanSplit(rowCount, heads) || rows.Length != (long)rowCount * rowBytes)
        {
            throw new PeftFormatException($"{rowCount} output rows cannot be split into {heads} heads of even size.");
        }

        var headBytes = rowCount / heads * rowBytes;
        var result = new byte[rows.Length];
        for (var h = 0; h < heads; h++)
        {
            ReorderHead(rows.Slice(h * headBytes, headBytes), result.AsSpan(h * headBytes, headBytes), rowBytes, toLlamaCpp);
        }

        return result;
    }

    private static void ReorderHead(ReadOnlySpan<byte> source, Span<byte> destination, int rowBytes, bool toLlamaCpp)
    {
        var half = source.Length / rowBytes / 2;
        for (var part = 0; part < 2; part++)
        {
            for (var i = 0; i < half; i++)
            {
                var huggingFace = part * half + i;
                var llamaCpp = 2 * i + part;
                var (from, to) = toLlamaCpp ? (huggingFace, llamaCpp) : (llamaCpp, huggingFace);
                source.Slice(from * rowBytes, rowBytes).CopyTo(destination.Slice(to * rowBytes, rowBytes));
            }
        }
    }
}
