namespace OpenLoRA.Gguf.TestModels;

public static partial class BadAdapterCatalog
{
    // Header offsets: magic 0, version 4, tensor count 8, key count 16, first key length 24.
    private static IEnumerable<BadAdapterRecipe> ByteRecipes() =>
    [
        Patch("bad-magic", "not a GGUF file", (b, _) => GgufPatch.WriteUInt32(b, 0, 0x46554758)),
        Patch("version-1", "unsupported GGUF version 1", (b, _) => GgufPatch.WriteUInt32(b, 4, 1)),
        Patch("version-4", "unsupported GGUF version 4", (b, _) => GgufPatch.WriteUInt32(b, 4, 4)),
        Patch("truncated-header", "file ends at byte 12 while reading the tensor count", (b, _) => b[..12]),
        Patch("huge-tensor-count", "the tensor count 1152921504606846976", (b, _) => GgufPatch.WriteUInt64(b, 8, 1UL << 60)),
        Patch("huge-key-count", "the metadata key count 1152921504606846976", (b, _) => GgufPatch.WriteUInt64(b, 16, 1UL << 60)),
        Patch("huge-string-length", "string length 4611686018427387904", (b, _) => GgufPatch.WriteUInt64(b, 24, 1UL << 62)),
        Patch(
            "huge-array-count",
            "'test.ids' declares 2305843009213693952 u32 elements",
            (b, file) => GgufPatch.WriteUInt64(b, file.TensorInfoPosition - (4 * 4) - 8, 1UL << 61),
            d => d.Set("test.ids", GgufValue.FromArray([1u, 2u, 3u, 4u]))),
        Patch(
            "duplicate-key",
            "duplicate metadata key 'test.aaaa'",
            (b, _) => ReplaceText(b, "test.bbbb", "test.aaaa"),
            d => d.Set("test.aaaa", GgufValue.From(1u)).Set("test.bbbb", GgufValue.From(2u))),
        Patch("unknown-tensor-type", $"tensor '{FirstA}' has unknown ggml type 99", (b, file) => GgufPatch.WriteUInt32(b, GgufPatch.TypePosition(file.Tensors[0]), 99)),
        Patch("five-dimensions", $"tensor '{FirstA}' has 5 dimensions; at most 4 are allowed", (b, file) => GgufPatch.WriteUInt32(b, GgufPatch.DimensionCountPosition(file.Tensors[0]), 5)),
        Patch("negative-dimension", $"tensor '{FirstA}' dimension 1 is -1; dimensions cannot be negative", (b, file) => GgufPatch.WriteUInt64(b, GgufPatch.DimensionPosition(file.Tensors[0], 1), ulong.MaxValue)),
        Patch("offsets-swapped", "(tensor data must be in file order, contiguous and aligned)", SwapFirstOffsets),
        Patch("offsets-overlap", "has data offset 0 and overlaps the tensor before it", (b, file) => GgufPatch.WriteUInt64(b, GgufPatch.OffsetPosition(file.Tensors[1]), 0)),
        Patch("offset-misaligned", "not a multiple of the alignment 32", (b, file) => GgufPatch.WriteUInt64(b, GgufPatch.OffsetPosition(file.Tensors[1]), (ulong)file.Tensors[1].Offset + 4)),
        Patch("offset-past-end", "extends past the end of the file", (b, file) => GgufPatch.WriteUInt64(b, GgufPatch.OffsetPosition(file.Tensors[^1]), 1UL << 30)),
        Patch("truncated-in-last-tensor", "extends past the end of the file", (b, file) => b[..(int)(file.DataOffset + file.Tensors[^1].Offset + (file.Tensors[^1].ByteSize / 2))]),
    ];

    private static byte[] SwapFirstOffsets(byte[] bytes, GgufFile file)
    {
        var first = GgufPatch.OffsetPosition(file.Tensors[0]);
        var second = GgufPatch.OffsetPosition(file.Tensors[1]);
        var firstOffset = GgufPatch.ReadUInt64(bytes, first);
        GgufPatch.WriteUInt64(bytes, first, GgufPatch.ReadUInt64(bytes, second));
        return GgufPatch.WriteUInt64(bytes, second, firstOffset);
    }

    private static byte[] ReplaceText(byte[] bytes, string find, string replacement)
    {
        var position = GgufPatch.Find(bytes, find);
        System.Text.Encoding.UTF8.GetBytes(replacement).CopyTo(bytes, position);
        return bytes;
    }
}
