namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Writes a GGUF model with random uniform weights that llama.cpp loads and decodes with: the tensor set and the
/// metadata keys llama.cpp's loader reads for the spec's architecture (llama, qwen2, qwen3, gemma2, gemma3; see
/// docs/MODELS.md "Architecture test models").
/// </summary>
internal static class LlamaModelWriter
{
    // Uniform in [-a, a] has std a/sqrt(3).
    private static readonly float UniformAmplitudePerStd = MathF.Sqrt(3f);

    // Rows of the output head for <s> and </s> are shrunk so random text rarely ends at once.
    private const float ControlRowScale = 0.05f;

    // Random norm weights lie in 1 ± this.
    private const float NormSpread = 0.25f;

    public static void Write(LlamaModelSpec spec, string path, int seed)
    {
        var writer = new GgufWriter();
        AddMetadata(writer, spec);
        if (spec.TiedOutput)
        {
            AddOutput(writer, spec, seed, "token_embd.weight");
        }
        else
        {
            AddTensor(writer, spec, seed, "token_embd.weight", [spec.Embedding, spec.VocabularySize], 1f, spec.WeightType);
        }

        for (var layer = 0; layer < spec.Layers; layer++)
        {
            var prefix = $"blk.{layer}.";
            AddNorm(writer, spec, seed, prefix + "attn_norm.weight", spec.Embedding);
            foreach (var projection in LlamaModelSpec.Projections)
            {
                if (projection == "ffn_gate")
                {
                    if (spec.Gemma)
                    {
                        AddNorm(writer, spec, seed, prefix + "post_attention_norm.weight", spec.Embedding);
                    }

                    AddNorm(writer, spec, seed, prefix + "ffn_norm.weight", spec.Embedding);
                }

                var shape = spec.ProjectionShape(projection);
                AddTensor(writer, spec, seed, $"{prefix}{projection}.weight", shape, spec.WeightStd(projection), spec.WeightType);
                if (spec.QkvBias && projection is "attn_q" or "attn_k" or "attn_v")
                {
                    AddTensor(writer, spec, seed, $"{prefix}{projection}.bias", [shape[1]], spec.BiasStd, GgmlType.F32);
                }

                if (spec.QkNorm && projection == "attn_v")
                {
                    AddNorm(writer, spec, seed, prefix + "attn_q_norm.weight", spec.HeadDimension);
                    AddNorm(writer, spec, seed, prefix + "attn_k_norm.weight", spec.HeadDimension);
                }
            }

            if (spec.Gemma)
            {
                AddNorm(writer, spec, seed, prefix + "post_ffw_norm.weight", spec.Embedding);
            }
        }

        AddNorm(writer, spec, seed, "output_norm.weight", spec.Embedding);
        if (!spec.TiedOutput)
        {
            AddOutput(writer, spec, seed, "output.weight");
        }

        if (spec.Llama3Rope is { } llama3)
        {
            var factors = llama3.Factors(spec.HeadDimension, spec.RopeBase);
            writer.AddTensor("rope_freqs.weight", GgmlType.F32, [factors.Length], data => data.WriteValues(factors));
        }

        writer.WriteTo(path);
    }

    private static void AddMetadata(GgufWriter writer, LlamaModelSpec spec)
    {
        var vocabulary = spec.Vocabulary;
        var arch = spec.Architecture;
        writer
            .Add("general.architecture", GgufValue.From(arch))
            .Add("general.name", GgufValue.From(spec.Name))
            .Add("general.file_type", GgufValue.From(spec.WeightType == GgmlType.F16 ? 1u : 0u))
            .Add($"{arch}.context_length", GgufValue.From((uint)spec.ContextLength))
            .Add($"{arch}.embedding_length", GgufValue.From((uint)spec.Embedding))
            .Add($"{arch}.block_count", GgufValue.From((uint)spec.Layers))
            .Add($"{arch}.feed_forward_length", GgufValue.From((uint)spec.FeedForward))
            .Add($"{arch}.attention.head_count", GgufValue.From((uint)spec.Heads))
            .Add($"{arch}.attention.head_count_kv", GgufValue.From((uint)spec.KvHeads))
            .Add($"{arch}.attention.layer_norm_rms_epsilon", GgufValue.From(spec.NormEpsilon))
            .Add($"{arch}.rope.freq_base", GgufValue.From(spec.RopeBase))
            .Add($"{arch}.rope.dimension_count", GgufValue.From((uint)spec.HeadDimension))
            .Add($"{arch}.vocab_size", GgufValue.From((uint)spec.VocabularySize));
        if (spec.KeyLength > 0)
        {
            writer
                .Add($"{arch}.attention.key_length", GgufValue.From((uint)spec.KeyLength))
                .Add($"{arch}.attention.value_length", GgufValue.From((uint)spec.KeyLength));
        }

        if (spec.RopeScalingType is { } scaling)
        {
            writer
                .Add($"{arch}.rope.scaling.type", GgufValue.From(scaling))
                .Add($"{arch}.rope.scaling.factor", GgufValue.From(spec.RopeScalingFactor));
        }

        if (spec.SlidingWindow > 0)
        {
            writer.Add($"{arch}.attention.sliding_window", GgufValue.From((uint)spec.SlidingWindow));
        }

        if (spec.AttentionSoftcap > 0)
        {
            writer.Add($"{arch}.attn_logit_softcapping", GgufValue.From(spec.AttentionSoftcap));
        }

        if (spec.FinalSoftcap > 0)
        {
            writer.Add($"{arch}.final_logit_softcapping", GgufValue.From(spec.FinalSoftcap));
        }

        writer
            .Add("tokenizer.ggml.model", GgufValue.From("gpt2"))
            .Add("tokenizer.ggml.pre", GgufValue.From("default"))
            .Add("tokenizer.ggml.tokens", GgufValue.FromArray(vocabulary.Tokens))
            .Add("tokenizer.ggml.token_type", GgufValue.FromArray(vocabulary.TokenTypes))
            .Add("tokenizer.ggml.merges", GgufValue.FromArray(vocabulary.Merges))
            .Add("tokenizer.ggml.bos_token_id", GgufValue.From((uint)vocabulary.IdOf(TestVocabularies.Bos)))
            .Add("tokenizer.ggml.eos_token_id", GgufValue.From((uint)vocabulary.IdOf(TestVocabularies.Eos)))
            .Add("tokenizer.ggml.add_bos_token", GgufValue.From(true))
            .Add("tokenizer.ggml.add_eos_token", GgufValue.From(false))
            .Add("tokenizer.chat_template", GgufValue.From(spec.ChatTemplate));
    }

    private static void AddNorm(GgufWriter writer, LlamaModelSpec spec, int seed, string name, int size) =>
        writer.AddTensor(name, GgmlType.F32, [size], data =>
        {
            var values = new float[size];
            if (spec.RandomNorms)
            {
                DeterministicRandom.ForStream(seed, $"{spec.Name}/{name}").FillSymmetric(values, NormSpread);
                for (var i = 0; i < size; i++)
                {
                    values[i] += 1f;
                }
            }
            else
            {
                Array.Fill(values, 1f);
            }

            data.WriteValues(values);
        });

    private static void AddTensor(GgufWriter writer, LlamaModelSpec spec, int seed, string name, long[] shape, float std, GgmlType type) =>
        writer.AddTensor(name, type, shape, data => RandomFill(data, DeterministicRandom.ForStream(seed, $"{spec.Name}/{name}"), std * UniformAmplitudePerStd));

    /// <summary>The output head (or, tied, the token embedding that doubles as it): logits of std about 3.</summary>
    private static void AddOutput(GgufWriter writer, LlamaModelSpec spec, int seed, string name)
    {
        var controls = new[] { spec.Vocabulary.IdOf(TestVocabularies.Bos), spec.Vocabulary.IdOf(TestVocabularies.Eos) };
        var amplitude = spec.WeightStd("output") * UniformAmplitudePerStd;
        writer.AddTensor(name, spec.WeightType, spec.ProjectionShape("output"), data =>
        {
            var random = DeterministicRandom.ForStream(seed, $"{spec.Name}/{name}");
            var row = new float[spec.Embedding];
            for (var token = 0; token < spec.VocabularySize; token++)
            {
                random.FillSymmetric(row, amplitude);
                if (controls.Contains(token))
                {
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] *= ControlRowScale;
                    }
                }

                data.WriteValues(row);
            }
        });
    }

    /// <summary>Streams random values in chunks: the bench model's 134M weights never sit in memory at once.</summary>
    internal static void RandomFill(GgufTensorDataWriter data, DeterministicRandom random, float amplitude)
    {
        var chunk = new float[64 * 1024];
        while (data.BytesRemaining > 0)
        {
            var count = (int)Math.Min(chunk.Length, data.BytesRemaining / Numerics.TensorElementCodec.ElementBytes(data.Type));
            random.FillSymmetric(chunk.AsSpan(0, count), amplitude);
            data.WriteValues(chunk.AsSpan(0, count));
        }
    }
}
