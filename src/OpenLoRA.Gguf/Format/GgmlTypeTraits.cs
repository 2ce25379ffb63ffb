namespace OpenLoRA.Gguf.Format;

/// <summary>Block size (elements) and block byte size of each ggml type, from ggml.c's type_traits table.</summary>
internal static class GgmlTypeTraits
{
    public static bool TryGet(GgmlType type, out int blockSize, out int blockBytes)
    {
        (blockSize, blockBytes) = type switch
        {
            GgmlType.F32 => (1, 4),
            GgmlType.F16 => (1, 2),
            GgmlType.BF16 => (1, 2),
            GgmlType.F64 => (1, 8),
            GgmlType.I8 => (1, 1),
            GgmlType.I16 => (1, 2),
            GgmlType.I32 => (1, 4),
            GgmlType.I64 => (1, 8),
            GgmlType.Q4_0 => (32, 18),
            GgmlType.Q4_1 => (32, 20),
            GgmlType.Q5_0 => (32, 22),
            GgmlType.Q5_1 => (32, 24),
            GgmlType.Q8_0 => (32, 34),
            GgmlType.Q8_1 => (32, 36),
            GgmlType.IQ4_NL => (32, 18),
            GgmlType.MXFP4 => (32, 17),
            GgmlType.Q2_K => (256, 84),
            GgmlType.Q3_K => (256, 110),
            GgmlType.Q4_K => (256, 144),
            GgmlType.Q5_K => (256, 176),
            GgmlType.Q6_K => (256, 210),
            GgmlType.Q8_K => (256, 292),
            GgmlType.IQ2_XXS => (256, 66),
            GgmlType.IQ2_XS => (256, 74),
            GgmlType.IQ3_XXS => (256, 98),
            GgmlType.IQ1_S => (256, 50),
            GgmlType.IQ3_S => (256, 110),
            GgmlType.IQ2_S => (256, 82),
            GgmlType.IQ4_XS => (256, 136),
            GgmlType.IQ1_M => (256, 56),
            GgmlType.TQ1_0 => (256, 54),
            GgmlType.TQ2_0 => (256, 66),
            _ => (0, 0),
        };
        return blockSize > 0;
    }

    /// <summary>Byte size of a tensor, or null when the type is unknown, a row is not whole blocks, or it overflows.</summary>
    public static long? ByteSize(GgmlType type, IReadOnlyList<long> dimensions)
    {
        if (!TryGet(type, out var blockSize, out var blockBytes))
        {
            return null;
        }

        var elements = ElementCount(dimensions);
        if (elements is null || (dimensions.Count > 0 && dimensions[0] % blockSize != 0))
        {
            return null;
        }

        var blocks = elements.Value / blockSize;
        return blocks > long.MaxValue / blockBytes ? null : blocks * blockBytes;
    }

    /// <summary>Product of the dimensions, or null when one is negative or the product overflows.</summary>
    public static long? ElementCount(IReadOnlyList<long> dimensions)
    {
        long count = 1;
        foreach (var dimension in dimensions)
        {
            if (dimension < 0)
            {
                return null;
            }

            if (dimension != 0 && count > long.MaxValue / dimension)
            {
                return null;
            }

            count *= dimension;
        }

        return count;
    }
}
