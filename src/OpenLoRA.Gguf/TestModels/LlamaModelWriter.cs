namespace OpenLoRA.Gguf.TestModels;

/// <summary>Writes a llama GGUF model with random uniform weights that llama.cpp loads and decodes with.</summary>
internal static class LlamaModelWriter
{
    // Uniform in [-a, a] has std a/sqrt(3).
    private static readonly float UniformAmplitudePerStd = MathF.Sqrt(3f);

    // Rows of the output head for <s> and </s> are shrunk so random text rarely ends at once.
    private const float ControlRowScale = 0.05f;

    public static void Write(LlamaModelSpec spec, string path, int seed)
    {
        var writer = new GgufWriter();
        AddMetadata(writer, spec);
        AddTensor(writer, spec, seed, "token_embd.weight", [spec.Embedding, spec.VocabularySize], 1f, spec.WeightType);
        for (var layer = 0; layer < spec.Layers; layer++)
        {
            AddNorm(writer, spec, $"blk.{layer}.attn_norm.weight");
            foreach (var projection in LlamaModelSpec.Projections)
            {
                if (projection == "ffn_gate")
                {
                    AddNorm(writer, spec, $"blk.{layer}.ffn_norm.weight");
                }

                AddTensor(writer, spec, seed, $"blk.{layer}.{projection}.weight", spec.ProjectionShape(projection), spec.WeightStd(projection), spec.WeightType);
            }
        }

        AddNorm(writer, spec, "output_norm.weight");
        AddOutput(writer, spec, seed);
        writer.WriteTo(path);
    }

    private static void AddMetadata(GgufWriter writer, LlamaModelSpec spec)
    {
        var vocabulary = spec.Vocabulary;
        writer
            .Add("general.architecture", GgufValue.From("llama"))
            .Add("general.name", GgufValue.From(spec.Name))
            .Add("general.file_type", GgufValue.From(spec.WeightType == GgmlType.F16 ? 1u : 0u))
            .Add("llama.context_length", GgufValue.From((uint)spec.ContextLength))
            .Add("llama.embedding_length", GgufValue.From((uint)spec.Embedding))
            .Add("llama.block_count", GgufValue.From((uint)spec.Layers))
            .Add("llama.feed_forward_length", GgufValue.From((uint)spec.FeedForward))
            .Add("llama.attention.head_count", GgufValue.From((uint)spec.Heads))
            .Add("llama.attention.head_count_kv", GgufValue.From((uint)spec.KvHeads))
            .Add("llama.attention.layer_norm_rms_epsilon", GgufValue.From(LlamaModelSpec.RmsEpsilon))
            .Add("llama.rope.freq_base", GgufValue.From(LlamaModelSpec.RopeFreqBase))
            .Add("llama.rope.dimension_count", GgufValue.From((uint)spec.HeadDimension))
            .Add("llama.vocab_size", GgufValue.From((uint)spec.VocabularySize))
            .Add("tokenizer.ggml.model", GgufValue.From("gpt2"))
            .Add("tokenizer.ggml.pre", GgufValue.From("default"))
            .Add("tokenizer.ggml.tokens", GgufValue.FromArray(vocabulary.Tokens))
            .Add("tokenizer.ggml.token_type", GgufValue.FromArray(vocabulary.TokenTypes))
            .Add("tokenizer.ggml.merges", GgufValue.FromArray(vocabulary.Merges))
            .Add("tokenizer.ggml.bos_token_id", GgufValue.From((uint)vocabulary.IdOf(TestVocabularies.Bos)))
            .Add("tokenizer.ggml.eos_token_id", GgufValue.From((uint)vocabulary.IdOf(TestVocabularies.Eos)))
            .Add("tokenizer.ggml.add_bos_token", GgufValue.From(true))
            .Add("tokenizer.ggml.add_eos_token", GgufValue.From(false))
            .Add("tokenizer.chat_template", GgufValue.From(ChatTemplates.ChatMl));
    }

    private static void AddNorm(GgufWriter writer, LlamaModelSpec spec, string name) =>
        writer.AddTensor(name, GgmlType.F32, [spec.Embedding], data =>
        {
            var ones = new float[spec.Embedding];
            Array.Fill(ones, 1f);
            data.WriteValues(ones);
        });

    private static void AddTensor(GgufWriter writer, LlamaModelSpec spec, int seed, string name, long[] shape, float std, GgmlType type) =>
        writer.AddTensor(name, type, shape, data => RandomFill(data, DeterministicRandom.ForStream(seed, $"{spec.Name}/{name}"), std * UniformAmplitudePerStd));

    private static void AddOutput(GgufWriter writer, LlamaModelSpec spec, int seed)
    {
        var controls = new[] { spec.Vocabulary.IdOf(TestVocabularies.Bos), spec.Vocabulary.IdOf(TestVocabularies.Eos) };
        var amplitude = spec.WeightStd("output") * UniformAmplitudePerStd;
        writer.AddTensor("output.weight", spec.WeightType, spec.ProjectionShape("output"), data =>
        {
            var random = DeterministicRandom.ForStream(seed, $"{spec.Name}/output.weight");
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
