using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// A bench-r16-shaped adapter (rank 16, alpha 32, f16, all seven projections of 12 layers of a 768-wide model with
/// FFN 2048, about 5.6 MB) and the base shapes it is validated against. Written with the public GGUF writer because
/// <see cref="TestModelGenerator"/> only writes bench adapters together with the 134M-parameter base model, which
/// would cost each benchmark process a 268 MB file just to read its tensor shapes.
/// </summary>
internal static class BenchShapedAdapter
{
    public const string Name = "bench-r16";
    private const int Embedding = 768;
    private const int FeedForward = 2048;
    private const int Layers = 12;
    private const int Rank = 16;
    private const float Alpha = 32f;

    /// <summary>Small enough that every weight passes the validator's magnitude check, as a trained adapter's would.</summary>
    private const float Amplitude = 0.05f;

    private static readonly string[] Projections =
        ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"];

    public static BaseModelShapes Shapes()
    {
        var tensors = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        foreach (var (target, shape) in Targets())
        {
            tensors[target] = shape;
        }

        return new BaseModelShapes("llama", tensors, 2048, null, 32000, 12, 12);
    }

    public static string Write(string directory, int seed)
    {
        var writer = new GgufWriter()
            .Add("general.architecture", GgufValue.From("llama"))
            .Add("general.type", GgufValue.From("adapter"))
            .Add("general.name", GgufValue.From(Name))
            .Add("adapter.type", GgufValue.From("lora"))
            .Add("adapter.lora.alpha", GgufValue.From(Alpha));
        foreach (var (target, shape) in Targets())
        {
            AddRandom(writer, $"{target}.lora_a", [shape[0], Rank], seed);
            AddRandom(writer, $"{target}.lora_b", [Rank, shape[1]], seed);
        }

        var path = Path.Combine(directory, $"{Name}.gguf");
        writer.WriteTo(path);
        return path;
    }

    private static IEnumerable<(string Target, long[] Shape)> Targets()
    {
        for (var layer = 0; layer < Layers; layer++)
        {
            foreach (var projection in Projections)
            {
                long[] shape = projection switch
                {
                    "ffn_gate" or "ffn_up" => [Embedding, FeedForward],
                    "ffn_down" => [FeedForward, Embedding],
                    _ => [Embedding, Embedding],
                };
                yield return ($"blk.{layer}.{projection}.weight", shape);
            }
        }
    }

    private static void AddRandom(GgufWriter writer, string name, long[] shape, int seed)
    {
        var values = new float[shape[0] * shape[1]];
        DeterministicRandom.ForStream(seed, $"{Name}/{name}").FillSymmetric(values, Amplitude);
        writer.AddTensor(name, GgmlType.F16, shape, data => data.WriteValues(values));
    }
}
