namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Valid adapters for the tiny model that test numeric handling rather than format: one whose weights each pass
/// <see cref="AdapterValidator"/>'s magnitude check but overflow the forward pass together, and one with a negative
/// alpha. Both are deterministic in their name and seed.
/// </summary>
public static class NumericalTestAdapters
{
    /// <summary>Largest |weight| and alpha of the overflow adapter: a tenth of the validator's bound.</summary>
    public const float OverflowMagnitude = 1000f;

    /// <summary>
    /// Writes <c>&lt;directory&gt;/&lt;name&gt;.gguf</c>: rank 1 on attn_v of every layer, A and B entries ±1000 (random
    /// signs) and alpha 1000. After RMSNorm the input has unit RMS over 64 values, so A·x is about ±8,000 and the V
    /// delta (alpha/r)·B·A·x about 8·10⁹: finite in F32, but far beyond F16's 65,504, so the KV cache (F16 on both
    /// backends) stores ±infinity, attention mixes them into NaN, and every logit is NaN from the first token on.
    /// </summary>
    public static string WriteTinyOverflow(string directory, string name, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var model = TestModelCatalog.Tiny().Model();
        var draft = new AdapterDraft()
            .Set("general.architecture", GgufValue.From("llama"))
            .Set("general.type", GgufValue.From("adapter"))
            .Set("general.name", GgufValue.From(name))
            .Set("adapter.type", GgufValue.From("lora"))
            .Set("adapter.lora.alpha", GgufValue.From(OverflowMagnitude));
        var shape = model.ProjectionShape("attn_v");
        for (var layer = 0; layer < model.Layers; layer++)
        {
            var random = DeterministicRandom.ForStream(seed, $"{name}/blk.{layer}.attn_v");
            draft.Tensors.Add(new DraftTensor($"blk.{layer}.attn_v.weight.lora_a", GgmlType.F32, [shape[0], 1], Signs(random, (int)shape[0])));
            draft.Tensors.Add(new DraftTensor($"blk.{layer}.attn_v.weight.lora_b", GgmlType.F32, [1, shape[1]], Signs(random, (int)shape[1])));
        }

        return Write(directory, name, draft);
    }

    /// <summary>
    /// Writes <c>&lt;directory&gt;/&lt;name&gt;.gguf</c>: the tiny attention adapter's shape (rank 4 on the four attention
    /// projections, f32, strength 1.5) with weights from <paramref name="seed"/> and alpha −8, so its scale alpha/r is
    /// −2: the update B·A is subtracted (PEFT's meaning of a negative lora_alpha).
    /// </summary>
    public static string WriteTinyNegativeAlpha(string directory, string name, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        const float alpha = 8f;
        var spec = new LoraAdapterSpec(name, 4, alpha, ["attn_q", "attn_k", "attn_v", "attn_output"], false, GgmlType.F32, 1.5f);
        var draft = LoraAdapterWriter.Draft(TestModelCatalog.Tiny().Model(), spec, seed).Set("adapter.lora.alpha", GgufValue.From(-alpha));
        return Write(directory, name, draft);
    }

    private static float[] Signs(DeterministicRandom random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.NextInt(2) == 0 ? -OverflowMagnitude : OverflowMagnitude;
        }

        return values;
    }

    private static string Write(string directory, string name, AdapterDraft draft)
    {
        var path = Path.Combine(Path.GetFullPath(directory), $"{name}.gguf");
        AtomicFile.Write(path, temp => draft.ToWriter().WriteTo(temp));
        return path;
    }
}
