namespace OpenLoRA.Gguf.TestModels;

/// <summary>Builds LoRA adapters for a generated llama model in llama.cpp's layout (see LLAMA-NOTES.md).</summary>
internal static class LoraAdapterWriter
{
    public static void Write(LlamaModelSpec model, LoraAdapterSpec spec, string path, int seed) =>
        Draft(model, spec, seed).ToWriter().WriteTo(path);

    /// <summary>
    /// lora_a has ne [n_in, r] and lora_b ne [r, n_out]. Both are uniform with the same std s, chosen so that
    /// (alpha/r)·B·A, whose entries have std (alpha/r)·sqrt(r)·s², equals Strength × the base weight std.
    /// </summary>
    public static AdapterDraft Draft(LlamaModelSpec model, LoraAdapterSpec spec, int seed)
    {
        var draft = new AdapterDraft()
            .Set("general.architecture", GgufValue.From(model.Architecture))
            .Set("general.type", GgufValue.From("adapter"))
            .Set("general.name", GgufValue.From(spec.Name))
            .Set("adapter.type", GgufValue.From("lora"))
            .Set("adapter.lora.alpha", GgufValue.From(spec.Alpha));
        foreach (var (target, projection) in Targets(model, spec))
        {
            var shape = model.ProjectionShape(projection);
            var std = MathF.Sqrt(spec.Strength * model.WeightStd(projection) / (spec.Alpha / spec.Rank * MathF.Sqrt(spec.Rank)));
            var amplitude = std * MathF.Sqrt(3f);
            var random = DeterministicRandom.ForStream(seed, $"{spec.Name}/{target}");
            draft.Tensors.Add(RandomTensor($"{target}.lora_a", spec.Type, [shape[0], spec.Rank], random, amplitude));
            draft.Tensors.Add(RandomTensor($"{target}.lora_b", spec.Type, [spec.Rank, shape[1]], random, amplitude));
        }

        return draft;
    }

    private static IEnumerable<(string Target, string Projection)> Targets(LlamaModelSpec model, LoraAdapterSpec spec)
    {
        for (var layer = 0; layer < model.Layers; layer++)
        {
            foreach (var projection in spec.Projections)
            {
                yield return ($"blk.{layer}.{projection}.weight", projection);
            }
        }

        if (spec.TargetsOutput)
        {
            yield return ("output.weight", "output");
        }
    }

    private static DraftTensor RandomTensor(string name, GgmlType type, long[] shape, DeterministicRandom random, float amplitude)
    {
        var values = new float[checked((int)(shape[0] * shape[1]))];
        random.FillSymmetric(values, amplitude);
        return new DraftTensor(name, type, shape, values);
    }
}
