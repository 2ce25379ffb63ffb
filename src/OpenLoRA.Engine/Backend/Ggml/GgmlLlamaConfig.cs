using System.Diagnostics.CodeAnalysis;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// The hyper-parameters and tensors of a GGUF model of one of the architectures <see cref="GgmlArchitecture"/> knows
/// (llama, qwen2, qwen3, gemma2, gemma3), read from its metadata only, checked completely before any ggml call: every
/// tensor present with the exact shape the forward pass builds on, of a type the CPU backend multiplies, rows a
/// whole number of quantization blocks, no tensor the graph would ignore. <see cref="TryRead"/> gives the reason a
/// model is not supported, and the engine then falls back to the LLamaSharp backend.
/// </summary>
internal sealed class GgmlLlamaConfig
{
    /// <summary>The seven per-layer projections LoRA adapters may target (plus <see cref="OutputTarget"/>).</summary>
    public static readonly IReadOnlyList<string> Projections =
        ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];

    public const string OutputTarget = "output";

    // Weight types ggml's CPU backend multiplies (and gets rows from); norms must be F32.
    private static readonly HashSet<GgmlType> WeightTypes =
    [
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
        GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
    ];

    private GgmlLlamaConfig(GgufFile file, string path)
    {
        File = file;
        FilePath = path;
    }

    public GgufFile File { get; }

    public string FilePath { get; }

    public int Embedding { get; private init; }

    public int Layers { get; private init; }

    public int Heads { get; private init; }

    public int KvHeads { get; private init; }

    public int FeedForward { get; private init; }

    public int Vocabulary { get; private init; }

    public int TrainedContext { get; private init; }

    public float RmsEpsilon { get; private init; }

    public float RopeFrequencyBase { get; private init; }

    /// <summary>Per-head dimension of Q and K (and V: <c>key_length</c> = <c>value_length</c>), E / heads unless the file says.</summary>
    public int HeadDimension { get; private init; }

    /// <summary>Width of Q and of the attention output: heads × head dimension (gemma and qwen3: not E).</summary>
    public int QueryEmbedding => HeadDimension * Heads;

    public int KvEmbedding => HeadDimension * KvHeads;

    public GgmlArchitecture Architecture { get; private init; } = GgmlArchitecture.Find("llama")!;

    /// <summary>1 / <c>rope.scaling.factor</c> for linear scaling; 1 without.</summary>
    public float RopeFrequencyScale { get; private init; } = 1f;

    /// <summary>Rope base and scale of sliding-window layers (gemma3: 10000 and 1, hard-coded in llama.cpp).</summary>
    public float RopeFrequencyBaseSliding { get; private init; }

    public float RopeFrequencyScaleSliding { get; private init; } = 1f;

    /// <summary>rope.scaling.original_context_length, else the trained context (ggml_rope_ext's n_ctx_orig).</summary>
    public int RopeOriginalContext { get; private init; }

    /// <summary>The file has <c>rope_freqs.weight</c> (Llama 3 rope factors, ggml_rope_ext's third argument).</summary>
    public bool HasRopeFactors { get; private init; }

    /// <summary>The file has Q/K/V biases.</summary>
    public bool HasQkvBias { get; private init; }

    /// <summary>Scale applied to Q before attention (gemma's f_attention_scale); 1 otherwise.</summary>
    public float QueryScale { get; private init; } = 1f;

    /// <summary>flash_attn_ext's scale: 1/sqrt(head dimension), or 1 where Q is scaled instead (gemma).</summary>
    public float AttentionScale { get; private init; }

    /// <summary>flash_attn_ext's logit_softcap (gemma2's attn_logit_softcapping); 0: none.</summary>
    public float AttentionSoftcap { get; private init; }

    /// <summary>Final logits become c·tanh(logits / c) (gemma2's final_logit_softcapping); 0: none.</summary>
    public float FinalSoftcap { get; private init; }

    /// <summary>Keys a query at position p sees on a sliding-window layer: positions p - window + 1 … p.</summary>
    public int SlidingWindow { get; private init; }

    /// <summary>Whether layer <paramref name="layer"/> attends over the sliding window only.</summary>
    public bool IsSlidingLayer(int layer) =>
        Architecture.SlidingPattern > 0 && layer % Architecture.SlidingPattern < Architecture.SlidingPattern - 1;

    /// <summary>Name of the output projection: <c>output.weight</c>, or <c>token_embd.weight</c> when tied.</summary>
    public string OutputTensor { get; private init; } = "output.weight";

    /// <summary>[n_in, n_out] of a LoRA target: one of <see cref="Projections"/> or <see cref="OutputTarget"/>.</summary>
    public (int In, int Out) TargetShape(string target) => target switch
    {
        "attn_q" => (Embedding, QueryEmbedding),
        "attn_output" => (QueryEmbedding, Embedding),
        "attn_k" or "attn_v" => (Embedding, KvEmbedding),
        "ffn_gate" or "ffn_up" => (Embedding, FeedForward),
        "ffn_down" => (FeedForward, Embedding),
        OutputTarget => (Embedding, Vocabulary),
        _ => throw new ArgumentException($"unknown LoRA target '{target}'", nameof(target)),
    };

    public static bool TryRead(string path, [NotNullWhen(true)] out GgmlLlamaConfig? config, [NotNullWhen(false)] out string? reason)
    {
        config = null;
        GgufFile file;
        try
        {
            file = GgufReader.Read(path);
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException)
        {
            reason = $"the model file cannot be read: {ex.Message}";
            return false;
        }

        var name = file.GetString("general.architecture");
        var architecture = GgmlArchitecture.Find(name);
        if (architecture is null)
        {
            reason = $"architecture '{name}' is not one the ggml backend runs ({string.Join(", ", GgmlArchitecture.Names)})";
            return false;
        }

        var a = architecture.Name;
        if (!TryInt(file, $"{a}.embedding_length", out var embedding, out reason)
            || !TryInt(file, $"{a}.block_count", out var layers, out reason)
            || !TryInt(file, $"{a}.attention.head_count", out var heads, out reason)
            || !TryInt(file, $"{a}.feed_forward_length", out var feedForward, out reason)
            || !TryInt(file, $"{a}.context_length", out var context, out reason))
        {
            return false;
        }

        var kvHeads = heads;
        if (file.TryGetValue($"{a}.attention.head_count_kv", out _) && !TryInt(file, $"{a}.attention.head_count_kv", out kvHeads, out reason))
        {
            return false;
        }

        if (heads <= 0 || embedding <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
        {
            reason = $"{heads} heads over {kvHeads} KV heads do not group evenly";
            return false;
        }

        var headDimension = embedding / heads;
        if (file.TryGetValue($"{a}.attention.key_length", out _) && !TryInt(file, $"{a}.attention.key_length", out headDimension, out reason))
        {
            return false;
        }

        var valueDimension = headDimension;
        if (file.TryGetValue($"{a}.attention.value_length", out _) && !TryInt(file, $"{a}.attention.value_length", out valueDimension, out reason))
        {
            return false;
        }

        if (!file.TryGetValue($"{a}.attention.key_length", out _) && embedding % heads != 0)
        {
            reason = $"{heads} heads do not divide the embedding of {embedding}";
            return false;
        }

        if (valueDimension != headDimension || headDimension % 2 != 0)
        {
            reason = $"key length {headDimension} and value length {valueDimension} are not one even head dimension";
            return false;
        }

        if (file.TryGetValue($"{a}.rope.dimension_count", out _)
            && (!TryInt(file, $"{a}.rope.dimension_count", out var ropeDimensions, out reason) || ropeDimensions != headDimension))
        {
            reason ??= "partial rotary embeddings are not supported by the ggml backend";
            return false;
        }

        foreach (var unsupported in new[] { $"{a}.expert_count", $"{a}.attention.scale", $"{a}.rope.scaling.attn_factor", $"{a}.rope.freq_base_swa", $"{a}.embedding_scale", $"{a}.logit_scale" })
        {
            if (file.TryGetValue(unsupported, out var value) && !(value.TryGetInteger(out var number) && number == 0))
            {
                reason = $"'{unsupported}' = {value} is not supported by the ggml backend";
                return false;
            }
        }

        var gemma = architecture.Gemma;
        if (!TryFloat(file, $"{a}.attention.layer_norm_rms_epsilon", 1e-5f, out var epsilon, out reason)
            || !TryFloat(file, $"{a}.rope.freq_base", 10000f, out var ropeBase, out reason)
            || !TryFloat(file, $"{a}.attn_logit_softcapping", a == "gemma2" ? 50f : 0f, out var attentionSoftcap, out reason)
            || !TryFloat(file, $"{a}.final_logit_softcapping", a == "gemma2" ? 30f : 0f, out var finalSoftcap, out reason)
            || !TryRopeScale(file, a, out var ropeScale, out reason))
        {
            return false;
        }

        // gemma3's softcap keys do nothing in llama.cpp's sliding-window graph; other files must not declare them.
        if (a != "gemma2" && (attentionSoftcap > 0 || (a != "gemma3" && finalSoftcap > 0)))
        {
            reason = $"logit soft-capping on a {a} model is not what llama.cpp computes for it";
            return false;
        }

        var window = 0;
        if (architecture.SlidingPattern > 0)
        {
            // gemma2 defaults to 4096; gemma3's loader requires the key.
            if (file.TryGetValue($"{a}.attention.sliding_window", out _))
            {
                if (!TryInt(file, $"{a}.attention.sliding_window", out window, out reason))
                {
                    return false;
                }
            }
            else if (a == "gemma2")
            {
                window = 4096;
            }
            else
            {
                reason = $"'{a}.attention.sliding_window' is missing";
                return false;
            }
        }
        else if (file.TryGetValue($"{a}.attention.sliding_window", out _))
        {
            reason = $"sliding-window attention on a {a} model is not supported by the ggml backend";
            return false;
        }

        var original = context;
        if (file.TryGetValue($"{a}.rope.scaling.original_context_length", out _) && !TryInt(file, $"{a}.rope.scaling.original_context_length", out original, out reason))
        {
            return false;
        }

        if (!file.TryGetTensor("token_embd.weight", out var embeddings) || embeddings.Dimensions.Count != 2)
        {
            reason = "token_embd.weight is missing or not 2-D";
            return false;
        }

        var hasOutput = file.TryGetTensor("output.weight", out _);
        if ((architecture.OutputRequired && !hasOutput) || (architecture.OutputForbidden && hasOutput))
        {
            reason = hasOutput ? $"a {a} model has no output.weight of its own" : "output.weight is missing";
            return false;
        }

        // gemma's f_attention_scale: 1/sqrt(E / heads) for the 27B models (llama.cpp knows them by their layer count:
        // 46 for gemma2, 62 for gemma3), else 1/sqrt(key length).
        var queryScale = 1f;
        if (gemma)
        {
            var big = (a == "gemma2" && layers == 46) || (a == "gemma3" && layers == 62);
            queryScale = 1f / MathF.Sqrt(big ? embedding / heads : headDimension);
        }

        var candidate = new GgmlLlamaConfig(file, path)
        {
            Architecture = architecture,
            Embedding = embedding,
            Layers = layers,
            Heads = heads,
            KvHeads = kvHeads,
            HeadDimension = headDimension,
            FeedForward = feedForward,
            Vocabulary = checked((int)embeddings.Dimensions[1]),
            TrainedContext = context,
            RmsEpsilon = epsilon,
            RopeFrequencyBase = ropeBase,
            RopeFrequencyScale = ropeScale,
            RopeFrequencyBaseSliding = a == "gemma3" ? 10000f : ropeBase,
            RopeFrequencyScaleSliding = a == "gemma3" ? 1f : ropeScale,
            RopeOriginalContext = original,
            HasRopeFactors = architecture.RopeFactors && file.TryGetTensor("rope_freqs.weight", out _),
            HasQkvBias = architecture.QkvBias == GgmlBiasRule.Required
                || (architecture.QkvBias == GgmlBiasRule.Optional && file.TryGetTensor("blk.0.attn_q.bias", out _)),
            QueryScale = queryScale,
            AttentionScale = gemma ? 1f : 1f / MathF.Sqrt(headDimension),
            AttentionSoftcap = a == "gemma2" ? attentionSoftcap : 0f,
            FinalSoftcap = a == "gemma2" ? finalSoftcap : 0f,
            SlidingWindow = window,
            OutputTensor = hasOutput ? "output.weight" : "token_embd.weight",
        };
        reason = candidate.CheckTensors();
        if (reason is not null)
        {
            return false;
        }

        config = candidate;
        return true;
    }

    /// <summary>Every tensor the forward pass reads: name, expected shape, whether it is F32-only (norms, biases, factors).</summary>
    public IEnumerable<(string Name, long[] Shape, bool Norm)> RequiredTensors()
    {
        yield return ("token_embd.weight", [Embedding, Vocabulary], false);
        for (var layer = 0; layer < Layers; layer++)
        {
            yield return ($"blk.{layer}.attn_norm.weight", [Embedding], true);
            yield return ($"blk.{layer}.ffn_norm.weight", [Embedding], true);
            foreach (var projection in Projections)
            {
                var (input, output) = TargetShape(projection);
                yield return ($"blk.{layer}.{projection}.weight", [input, output], false);
                if (HasQkvBias && projection is "attn_q" or "attn_k" or "attn_v")
                {
                    yield return ($"blk.{layer}.{projection}.bias", [output], true);
                }
            }

            if (Architecture.QkNorm)
            {
                yield return ($"blk.{layer}.attn_q_norm.weight", [HeadDimension], true);
                yield return ($"blk.{layer}.attn_k_norm.weight", [HeadDimension], true);
            }

            if (Architecture.Gemma)
            {
                yield return ($"blk.{layer}.post_attention_norm.weight", [Embedding], true);
                yield return ($"blk.{layer}.post_ffw_norm.weight", [Embedding], true);
            }
        }

        yield return ("output_norm.weight", [Embedding], true);
        if (OutputTensor == "output.weight")
        {
            yield return ("output.weight", [Embedding, Vocabulary], false);
        }

        if (HasRopeFactors)
        {
            yield return ("rope_freqs.weight", [HeadDimension / 2], true);
        }
    }

    private string? CheckTensors()
    {
        if (Layers <= 0 || FeedForward <= 0 || Vocabulary <= 0 || TrainedContext <= 0)
        {
            return "the model declares a zero dimension";
        }

        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, shape, norm) in RequiredTensors())
        {
            expected.Add(name);
            if (!File.TryGetTensor(name, out var tensor))
            {
                return $"tensor {name} is missing";
            }

            if (!tensor.Dimensions.SequenceEqual(shape))
            {
                return $"tensor {name} is {tensor.ShapeText}, expected [{string.Join(", ", shape)}]";
            }

            if (norm ? tensor.Type != GgmlType.F32 : !WeightTypes.Contains(tensor.Type))
            {
                return $"tensor {name} has type {tensor.Type}, which the ggml backend does not run";
            }

            var block = BlockSize(tensor.Type);
            if (shape[0] % block != 0)
            {
                return $"tensor {name} rows of {shape[0]} are not whole {tensor.Type} blocks";
            }

            if (tensor.Offset < 0 || File.DataOffset + tensor.Offset + tensor.ByteSize > File.FileLength)
            {
                return $"tensor {name} lies outside the file";
            }
        }

        var extra = File.Tensors.FirstOrDefault(t => !expected.Contains(t.Name));
        return extra is null ? null : $"tensor {extra.Name} (another variant of {Architecture.Name}) is not supported by the ggml backend";
    }

    /// <summary>
    /// llama.cpp's rope scaling from the file: the type defaults to linear and the factor (rope.scaling.factor, or
    /// the older rope.scale_linear) to none; "none" never scales; YaRN and LongRoPE are not mirrored here.
    /// </summary>
    private static bool TryRopeScale(GgufFile file, string a, out float scale, [NotNullWhen(false)] out string? reason)
    {
        scale = 1f;
        reason = null;
        var type = "linear";
        if (file.TryGetValue($"{a}.rope.scaling.type", out var raw))
        {
            if (!raw.TryGet<string>(out var text) || text is not ("linear" or "none"))
            {
                reason = $"rope scaling '{raw}' is not supported by the ggml backend";
                return false;
            }

            type = text;
        }

        if (!TryFloat(file, $"{a}.rope.scaling.factor", 0f, out var factor, out reason)
            || (factor == 0f && !TryFloat(file, $"{a}.rope.scale_linear", 0f, out factor, out reason)))
        {
            return false;
        }

        scale = type == "none" || factor == 0f ? 1f : 1f / factor;
        return true;
    }

    private static int BlockSize(GgmlType type) => type switch
    {
        GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 => 1,
        GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0 => 32,
        _ => 256,
    };

    private static bool TryInt(GgufFile file, string key, out int value, [NotNullWhen(false)] out string? reason)
    {
        value = 0;
        if (!file.TryGetValue(key, out var raw) || !raw.TryGetInteger(out var number) || number is < 1 or > int.MaxValue)
        {
            reason = $"'{key}' is missing or not a positive integer";
            return false;
        }

        value = (int)number;
        reason = null;
        return true;
    }

    private static bool TryFloat(GgufFile file, string key, float fallback, out float value, [NotNullWhen(false)] out string? reason)
    {
        reason = null;
        value = fallback;
        if (!file.TryGetValue(key, out var raw))
        {
            return true;
        }

        if (raw.TryGetReal(out var number) && double.IsFinite(number) && number > 0)
        {
            value = (float)number;
            return true;
        }

        reason = $"'{key}' is not a positive number";
        return false;
    }
}
