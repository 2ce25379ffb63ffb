using System.Diagnostics.CodeAnalysis;
using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Backend.Ggml;

/// <summary>
/// The hyper-parameters and tensors of a llama-family GGUF model, checked completely before any ggml call: every
/// tensor present with the exact shape the forward pass builds on, of a type the CPU backend multiplies, rows a
/// whole number of quantization blocks. <see cref="TryRead"/> gives the reason a model is not supported, and the
/// engine then falls back to the LLamaSharp backend.
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

    public int HeadDimension => Embedding / Heads;

    public int KvEmbedding => HeadDimension * KvHeads;

    /// <summary>Name of the output projection: <c>output.weight</c>, or <c>token_embd.weight</c> when tied.</summary>
    public string OutputTensor { get; private init; } = "output.weight";

    /// <summary>[n_in, n_out] of a LoRA target: one of <see cref="Projections"/> or <see cref="OutputTarget"/>.</summary>
    public (int In, int Out) TargetShape(string target) => target switch
    {
        "attn_q" or "attn_output" => (Embedding, Embedding),
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

        var architecture = file.GetString("general.architecture");
        if (architecture != "llama")
        {
            reason = $"architecture '{architecture}' is not llama";
            return false;
        }

        if (!TryInt(file, "llama.embedding_length", out var embedding, out reason)
            || !TryInt(file, "llama.block_count", out var layers, out reason)
            || !TryInt(file, "llama.attention.head_count", out var heads, out reason)
            || !TryInt(file, "llama.feed_forward_length", out var feedForward, out reason)
            || !TryInt(file, "llama.context_length", out var context, out reason))
        {
            return false;
        }

        var kvHeads = heads;
        if (file.TryGetValue("llama.attention.head_count_kv", out _) && !TryInt(file, "llama.attention.head_count_kv", out kvHeads, out reason))
        {
            return false;
        }

        if (!TryFloat(file, "llama.attention.layer_norm_rms_epsilon", 1e-5f, out var epsilon, out reason)
            || !TryFloat(file, "llama.rope.freq_base", 10000f, out var ropeBase, out reason))
        {
            return false;
        }

        if (heads <= 0 || embedding <= 0 || embedding % heads != 0 || kvHeads <= 0 || heads % kvHeads != 0 || embedding / heads % 2 != 0)
        {
            reason = $"{heads} heads over {kvHeads} KV heads do not divide the embedding of {embedding} into even head dimensions";
            return false;
        }

        foreach (var unsupported in new[] { "llama.rope.scaling.type", "llama.expert_count", "llama.attention.key_length", "llama.attention.value_length" })
        {
            if (file.TryGetValue(unsupported, out var value) && !IsNeutral(unsupported, value, embedding / heads))
            {
                reason = $"'{unsupported}' = {value} is not supported by the ggml backend";
                return false;
            }
        }

        if (file.TryGetValue("llama.rope.dimension_count", out _)
            && (!TryInt(file, "llama.rope.dimension_count", out var ropeDimensions, out reason) || ropeDimensions != embedding / heads))
        {
            reason ??= "partial rotary embeddings are not supported by the ggml backend";
            return false;
        }

        if (!file.TryGetTensor("token_embd.weight", out var embeddings) || embeddings.Dimensions.Count != 2)
        {
            reason = "token_embd.weight is missing or not 2-D";
            return false;
        }

        var candidate = new GgmlLlamaConfig(file, path)
        {
            Embedding = embedding,
            Layers = layers,
            Heads = heads,
            KvHeads = kvHeads,
            FeedForward = feedForward,
            Vocabulary = checked((int)embeddings.Dimensions[1]),
            TrainedContext = context,
            RmsEpsilon = epsilon,
            RopeFrequencyBase = ropeBase,
            OutputTensor = file.TryGetTensor("output.weight", out _) ? "output.weight" : "token_embd.weight",
        };
        reason = candidate.CheckTensors();
        if (reason is not null)
        {
            return false;
        }

        config = candidate;
        return true;
    }

    /// <summary>Every tensor the forward pass reads: name, expected shape, whether it is a norm (F32 only).</summary>
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
            }
        }

        yield return ("output_norm.weight", [Embedding], true);
        if (OutputTensor == "output.weight")
        {
            yield return ("output.weight", [Embedding, Vocabulary], false);
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

        var extra = File.Tensors.FirstOrDefault(t => !expected.Contains(t.Name) && !t.Name.StartsWith("rope_freqs", StringComparison.Ordinal));
        return extra is null ? null : $"tensor {extra.Name} (biases or another variant) is not supported by the ggml backend";
    }

    private static int BlockSize(GgmlType type) => type switch
    {
        GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 => 1,
        GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0 => 32,
        _ => 256,
    };

    private static bool IsNeutral(string key, GgufValue value, int headDimension) => key switch
    {
        "llama.rope.scaling.type" => value.TryGet<string>(out var text) && text is "none" or "",
        "llama.expert_count" => value.TryGetInteger(out var experts) && experts == 0,
        _ => value.TryGetInteger(out var length) && length == headDimension,
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
