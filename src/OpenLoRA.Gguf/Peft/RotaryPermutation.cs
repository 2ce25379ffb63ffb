namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// The row reordering llama.cpp's convert_hf_to_gguf.py applies to llama q and k projections
/// (<c>LlamaModel.permute</c>): Hugging Face stores each head's rotary pairs as two halves, llama.cpp interleaves
/// them. Rows are output features, so for a LoRA only B (ne [r, n_out]) is permuted; A is untouched.
/// Row h·d + half·d/2 + i moves to h·d + 2·i + half, for heads of size d = n_out / heads.
/// </summary>
internal static class RotaryPermutation
{
    /// <param name="rows">Row-major data of <paramref name="rowCount"/> rows of <paramref name="rowBytes"/> bytes.</param>
    public static byte[] PermuteRows(ReadOnlySpan<byte> rows, int rowCount, int rowBytes, int heads) =>
        Reorder(rows, rowCount, rowBytes, heads, toLlamaCpp: true);

    /// <summary>The inverse, for writing Hugging Face-ordered test adapters from llama.cpp-ordered weights.</summary>
    public static byte[] UnpermuteRows(ReadOnlySpan<byte> rows, int rowCount, int rowBytes, int heads) =>
        Reorder(rows, rowCount, rowBytes, heads, toLlamaCpp: false);

    private static byte[] Reorder(ReadOnlySpan<byte> rows, int rowCount, int rowBytes, int heads, bool toLlamaCpp)
    {
        if (heads < 1 || rowCount % heads != 0 || (rowCount / heads) % 2 != 0)
        {
            throw new PeftFormatException($"{rowCount} output rows cannot be split into {heads} heads of even size.");
        }

        var headSize = rowCount / heads;
        var half = headSize / 2;
        var result = new byte[rows.Length];
        for (var h = 0; h < heads; h++)
        {
            for (var part = 0; part < 2; part++)
            {
                for (var i = 0; i < half; i++)
                {
                    var huggingFace = h * headSize + part * half + i;
                    var llamaCpp = h * headSize + 2 * i + part;
                    var (from, to) = toLlamaCpp ? (huggingFace, llamaCpp) : (llamaCpp, huggingFace);
                    rows.Slice(from * rowBytes, rowBytes).CopyTo(result.AsSpan(to * rowBytes, rowBytes));
                }
            }
        }

        return result;
    }
}
