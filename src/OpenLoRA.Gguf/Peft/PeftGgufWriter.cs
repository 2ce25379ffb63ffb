using System.Buffers;

namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// Writes the llama.cpp adapter for checked pairs, streaming tensor data from the safetensors file: at most one
/// head of B (or one 1 MiB chunk of A) is in memory at a time. torch's row-major [r, in] and [out, r] are already
/// ggml's ne [in, r] and [r, out] (ne0 is the fastest dimension), so bytes are copied unchanged except for the
/// order of B's rows for q and k.
/// </summary>
internal static class PeftGgufWriter
{
    private const int ChunkBytes = 1 << 20;

    public static void Write(SafetensorsFile file, IReadOnlyList<PeftLoraPair> pairs, string architecture, float alpha, string path)
    {
        using var source = file.OpenData();
        var writer = new GgufWriter()
            .Add("general.architecture", GgufValue.From(architecture))
            .Add("general.type", GgufValue.From("adapter"))
            .Add("adapter.type", GgufValue.From("lora"))
            .Add("adapter.lora.alpha", GgufValue.From(alpha));
        foreach (var pair in pairs)
        {
            writer.AddTensor(pair.Target + ".lora_a", pair.Type, [pair.InFeatures, pair.Rank], data => Copy(file, source, pair.A, data));
            writer.AddTensor(pair.Target + ".lora_b", pair.Type, [pair.Rank, pair.OutFeatures], data =>
            {
                if (pair.PermuteHeads > 0)
                {
                    CopyPermuted(file, source, pair, data);
                }
                else
                {
                    Copy(file, source, pair.B, data);
                }
            });
        }

        writer.WriteTo(path);
    }

    private static void Copy(SafetensorsFile file, FileStream source, SafetensorsTensor tensor, GgufTensorDataWriter data)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, Math.Max(1, tensor.End - tensor.Begin)));
        try
        {
            for (var offset = tensor.Begin; offset < tensor.End;)
            {
                var count = (int)Math.Min(buffer.Length, tensor.End - offset);
                file.ReadAt(source, offset, buffer.AsSpan(0, count));
                data.WriteBytes(buffer.AsSpan(0, count));
                offset += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The permutation never moves a row out of its head, so B is read, reordered and written head by head.</summary>
    private static void CopyPermuted(SafetensorsFile file, FileStream source, PeftLoraPair pair, GgufTensorDataWriter data)
    {
        var rowBytes = checked((int)(pair.Rank * pair.B.ElementSize));
        var headBytes = checked((int)(pair.OutFeatures / pair.PermuteHeads * rowBytes));
        var huggingFace = new byte[headBytes];
        var llamaCpp = new byte[headBytes];
        for (var head = 0; head < pair.PermuteHeads; head++)
        {
            file.ReadAt(source, pair.B.Begin + (long)head * headBytes, huggingFace);
            RotaryPermutation.PermuteHead(huggingFace, llamaCpp, rowBytes);
            data.WriteBytes(llamaCpp);
        }
    }
}
