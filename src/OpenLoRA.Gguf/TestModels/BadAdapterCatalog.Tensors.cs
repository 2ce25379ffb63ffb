using OpenLoRA.Gguf.Format;

namespace OpenLoRA.Gguf.TestModels;

public static partial class BadAdapterCatalog
{
    // Baseline tensor order: per layer, attn_q (a [64, 2], b [2, 64]), attn_k (a [64, 2], b [2, 32]),
    // ffn_down (a [128, 2], b [2, 64]); so index 0 is blk.0.attn_q.weight.lora_a and 1 its lora_b.
    private const string FirstA = "blk.0.attn_q.weight.lora_a";

    private static IEnumerable<BadAdapterRecipe> TensorRecipes() =>
    [
        Edit("lora-a-3d", "has 3 dimensions [64, 2, 1]; LoRA tensors must be 2-D", d => Reshape(d, 0, [64, 2, 1])),
        Edit("lora-b-1d", "has 1 dimensions [128]; LoRA tensors must be 2-D", d => Reshape(d, 1, [128])),
        Edit("zero-second-dimension", "has shape [64, 0]; every dimension must be at least 1", d => Reshape(d, 0, [64, 0])),
        Edit("zero-first-dimension", "has shape [0, 64]; every dimension must be at least 1", d => Reshape(d, 1, [0, 64])),
        .. new[] { GgmlType.I8, GgmlType.I16, GgmlType.I32, GgmlType.I64, GgmlType.F64, GgmlType.Q8_0 }.Select(type =>
            Edit($"type-{type.ToString().ToLowerInvariant()}", $"tensor '{FirstA}' has type {type}; only F32, F16 and BF16 are allowed", d => Retype(d, 0, type))),
        Edit("duplicate-tensor", $"duplicate tensor name '{FirstA}'", d => Rename(d, 2, FirstA)),
        Edit("tensor-name-nul", "has a name that contains a NUL byte", d => Rename(d, 0, "blk.0.attn_q.weight\0.lora_a")),
        Edit("tensor-name-too-long", "longer than 63 bytes", d => Rename(d, 0, $"blk.0.{new string('x', 60)}.weight.lora_a")),
        Edit("unknown-suffix", "tensor 'blk.0.attn_q.weight.lora_c' has an unknown suffix", d => Rename(d, 0, "blk.0.attn_q.weight.lora_c")),
        Edit("norm-suffix", "tensor 'blk.0.attn_norm.weight' has an unknown suffix", d => d.Tensors.Add(new DraftTensor("blk.0.attn_norm.weight", GgmlType.F32, [64, 1], new float[64]))),
        Edit("missing-lora-b", "tensor 'blk.0.attn_k.weight.lora_a' has no matching 'blk.0.attn_k.weight.lora_b'", d => d.Tensors.RemoveAt(3)),
        Edit("missing-lora-a", "tensor 'blk.0.attn_k.weight.lora_b' has no matching 'blk.0.attn_k.weight.lora_a'", d => d.Tensors.RemoveAt(2)),
        Edit("input-dimension-mismatch", "do not fit base tensor 'blk.0.attn_q.weight' [64, 64]", d => Reshape(d, 0, [32, 2])),
        Edit("output-dimension-mismatch", "do not fit base tensor 'blk.0.attn_k.weight' [64, 32]", d => Reshape(d, 3, [2, 64])),
        Edit("rank-mismatch", "rank mismatch for 'blk.0.attn_q.weight': lora_a has rank 2 but lora_b has rank 3", d => Reshape(d, 1, [3, 64])),
        Edit("transposed-pair", "do not fit base tensor 'blk.0.attn_k.weight'", d =>
        {
            Reshape(d, 2, [2, 64]);
            Reshape(d, 3, [32, 2]);
        }),
        Edit("target-not-in-base", "target 'blk.7.attn_q.weight' does not exist in the base model", d =>
        {
            Rename(d, 0, "blk.7.attn_q.weight.lora_a");
            Rename(d, 1, "blk.7.attn_q.weight.lora_b");
        }),
        Edit("token-embedding", "adapters on 'token_embd.weight' are not supported", d =>
        {
            d.Tensors.Add(new DraftTensor("token_embd.weight.lora_a", GgmlType.F32, [64, 2], new float[128]));
            d.Tensors.Add(new DraftTensor("token_embd.weight.lora_b", GgmlType.F32, [2, 306], new float[612]));
        }),
        Edit("norm-target", "target 'blk.0.attn_norm.weight' has shape [64] in the base model", d =>
        {
            d.Tensors.Add(new DraftTensor("blk.0.attn_norm.weight.lora_a", GgmlType.F32, [64, 2], new float[128]));
            d.Tensors.Add(new DraftTensor("blk.0.attn_norm.weight.lora_b", GgmlType.F32, [2, 1], new float[2]));
        }),
        Edit("no-tensors", "the adapter has no tensors", d => d.Tensors.Clear()),
        Edit("nan-f32", $"tensor '{FirstA}' element 5 is NaN", d => SetValue(d, 0, 5, float.NaN)),
        Edit("infinity-f32", "tensor 'blk.0.attn_q.weight.lora_b' element 7 is +Infinity", d => SetValue(d, 1, 7, float.PositiveInfinity)),
        Edit("negative-infinity-f32", $"tensor '{FirstA}' element 0 is -Infinity", d => SetValue(d, 0, 0, float.NegativeInfinity)),
        Edit("huge-f32", $"tensor '{FirstA}' element 9 is 20000; magnitudes above 1E+4 are refused", d => SetValue(d, 0, 9, 2e4f)),
        Edit("nan-f16", $"tensor '{FirstA}' element 3 is NaN", d => SetValue(d, 0, 3, float.NaN, GgmlType.F16)),
        Edit("huge-f16", $"tensor '{FirstA}' element 3 is 60000", d => SetValue(d, 0, 3, 60000f, GgmlType.F16)),
        Edit("infinity-bf16", $"tensor '{FirstA}' element 11 is +Infinity", d => SetValue(d, 0, 11, float.PositiveInfinity, GgmlType.BF16)),
    ];

    private static void Reshape(AdapterDraft draft, int index, long[] dimensions)
    {
        var tensor = draft.Tensors[index];
        var count = (int)GgmlTypeTraits.ElementCount(dimensions)!.Value;
        var values = new float[count];
        tensor.Values.AsSpan(0, Math.Min(count, tensor.Values.Length)).CopyTo(values);
        draft.Tensors[index] = tensor with { Dimensions = dimensions, Values = values };
    }

    /// <summary>A type floats cannot express: raw bytes of the right size, all ones (harmless-looking small integers).</summary>
    private static void Retype(AdapterDraft draft, int index, GgmlType type)
    {
        var tensor = draft.Tensors[index];
        var raw = new byte[GgmlTypeTraits.ByteSize(type, tensor.Dimensions)!.Value];
        Array.Fill(raw, (byte)1);
        draft.Tensors[index] = tensor with { Type = type, RawBytes = raw };
    }

    private static void Rename(AdapterDraft draft, int index, string name) =>
        draft.Tensors[index] = draft.Tensors[index] with { Name = name };

    private static void SetValue(AdapterDraft draft, int index, int element, float value, GgmlType? type = null)
    {
        var tensor = draft.Tensors[index];
        var values = (float[])tensor.Values.Clone();
        values[element] = value;
        draft.Tensors[index] = tensor with { Type = type ?? tensor.Type, Values = values };
    }
}
