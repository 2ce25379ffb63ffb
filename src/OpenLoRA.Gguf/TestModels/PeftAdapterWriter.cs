using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenLoRA.Gguf.Numerics;

namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Writes the PEFT form (adapter_model.safetensors + adapter_config.json, Hugging Face names and row order) of a
/// llama.cpp LoRA adapter: what a PEFT training run that produced the same weights would have saved. Converting it
/// back must reproduce the GGUF adapter's effect exactly. The Hugging Face row order of q/k lora_B is derived here
/// from the rotary pairing itself, not from the converter's permutation code, so a wrong permutation in the
/// converter cannot cancel out against this writer.
/// </summary>
public static class PeftAdapterWriter
{
    private static readonly Dictionary<string, string> Modules = new(StringComparer.Ordinal)
    {
        ["attn_q"] = "self_attn.q_proj",
        ["attn_k"] = "self_attn.k_proj",
        ["attn_v"] = "self_attn.v_proj",
        ["attn_output"] = "self_attn.o_proj",
        ["ffn_gate"] = "mlp.gate_proj",
        ["ffn_up"] = "mlp.up_proj",
        ["ffn_down"] = "mlp.down_proj",
    };

    /// <summary>
    /// The PEFT form of the GGUF adapter at <paramref name="ggufAdapterPath"/> (a llama model's); returns the paths
    /// written into <paramref name="directory"/>. With <paramref name="useRsLora"/> the config says use_rslora and
    /// carries lora_alpha = alpha / sqrt(r), which gives the same scale.
    /// </summary>
    public static (string Safetensors, string Config) FromGguf(string ggufAdapterPath, string baseModelPath, string directory, bool useRsLora = false)
    {
        var shapes = BaseModelShapes.FromFile(baseModelPath);
        var adapter = GgufReader.Read(ggufAdapterPath);
        var alpha = adapter.Metadata.First(m => m.Key == "adapter.lora.alpha").Value.Get<float>();
        var tensors = new List<(string Name, GgmlType Type, IReadOnlyList<long> Dimensions, byte[] Data)>();
        using (var stream = File.OpenRead(ggufAdapterPath))
        {
            foreach (var tensor in adapter.Tensors)
            {
                var data = new byte[tensor.ByteSize];
                stream.Position = adapter.DataOffset + tensor.Offset;
                stream.ReadExactly(data);
                tensors.Add((tensor.Name, tensor.Type, tensor.Dimensions, data));
            }
        }

        return Write(directory, tensors, alpha, shapes.HeadCount, shapes.KvHeadCount, useRsLora, shapes.Architecture);
    }

    /// <summary>
    /// The PEFT form of a generated adapter for <paramref name="model"/>, from the same spec and seed as its GGUF twin
    /// (the GGUF file itself is not read).
    /// </summary>
    internal static (string Safetensors, string Config) WriteFor(LlamaModelSpec model, LoraAdapterSpec spec, string directory, int seed)
    {
        var draft = LoraAdapterWriter.Draft(model, spec, seed);
        var tensors = draft.Tensors.Select(t =>
        {
            var bytes = new byte[t.Values.Length * TensorElementCodec.ElementBytes(t.Type)];
            TensorElementCodec.Encode(t.Type, t.Values, bytes);
            return (t.Name, t.Type, (IReadOnlyList<long>)t.Dimensions, bytes);
        }).ToList();
        return Write(directory, tensors, spec.Alpha, model.Heads, model.KvHeads, useRsLora: false, model.Architecture);
    }

    /// <summary>
    /// The PEFT form of tiny adapter <paramref name="adapterName"/> (e.g. "tiny-attn-r4") with the weights that
    /// <see cref="TestModelGenerator"/> writes as GGUF for <paramref name="seed"/>, without writing the GGUF.
    /// </summary>
    public static (string Safetensors, string Config) WriteTiny(string directory, string adapterName, int seed = TestModelGenerator.DefaultSeed, bool useRsLora = false)
    {
        var plan = TestModelCatalog.Tiny();
        var spec = plan.Adapters.FirstOrDefault(a => a.Name == adapterName)
            ?? throw new ArgumentException($"no tiny adapter '{adapterName}'", nameof(adapterName));
        var model = plan.Model();
        var draft = LoraAdapterWriter.Draft(model, spec, seed);
        var tensors = draft.Tensors.Select(t =>
        {
            var bytes = new byte[t.Values.Length * TensorElementCodec.ElementBytes(t.Type)];
            TensorElementCodec.Encode(t.Type, t.Values, bytes);
            return (t.Name, t.Type, (IReadOnlyList<long>)t.Dimensions, bytes);
        }).ToList();
        return Write(directory, tensors, spec.Alpha, model.Heads, model.KvHeads, useRsLora, model.Architecture);
    }

    /// <summary>Writes a safetensors file: u64 header length, JSON header, then the tensors back to back.</summary>
    public static void WriteSafetensors(string path, IReadOnlyList<(string Name, string DType, long[] Shape, byte[] Data)> tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            header.Append(CultureInfo.InvariantCulture, $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}},");
            offset += data.Length;
        }

        header.Append("\"__metadata__\":{\"format\":\"pt\"}}");
        var headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        using var output = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        output.Write(length);
        output.Write(headerBytes);
        foreach (var tensor in tensors)
        {
            output.Write(tensor.Data);
        }
    }

    /// <summary>
    /// llama.cpp's rope rotates rows (2j, 2j+1) of each q/k head together; Hugging Face's rotate_half rotates rows
    /// (j, j + d/2). So llama.cpp row 2j of a head came from Hugging Face row j, and row 2j+1 from row j + d/2.
    /// </summary>
    internal static byte[] ToHuggingFaceRows(byte[] llamaCppRows, int rowBytes, int heads)
    {
        var rows = llamaCppRows.Length / rowBytes;
        var headSize = rows / heads;
        var result = new byte[llamaCppRows.Length];
        for (var head = 0; head < heads; head++)
        {
            for (var j = 0; j < headSize / 2; j++)
            {
                var first = head * headSize;
                Array.Copy(llamaCppRows, (first + 2 * j) * rowBytes, result, (first + j) * rowBytes, rowBytes);
                Array.Copy(llamaCppRows, (first + 2 * j + 1) * rowBytes, result, (first + headSize / 2 + j) * rowBytes, rowBytes);
            }
        }

        return result;
    }

    private static (string Safetensors, string Config) Write(
        string directory, List<(string Name, GgmlType Type, IReadOnlyList<long> Dimensions, byte[] Data)> ggufTensors, float alpha, int heads, int kvHeads, bool useRsLora, string architecture)
    {
        Directory.CreateDirectory(directory);
        var tensors = new List<(string Name, string DType, long[] Shape, byte[] Data)>();
        var modules = new SortedSet<string>(StringComparer.Ordinal);
        var rank = 0;
        foreach (var (name, type, dimensions, bytes) in ggufTensors)
        {
            var isA = name.EndsWith(".lora_a", StringComparison.Ordinal);
            var target = name[..name.LastIndexOf('.')];
            var (module, hfName) = HfName(target);
            modules.Add(module);
            var data = bytes;
            // Only llama files carry llama.cpp's q/k row permutation (docs/MODELS.md "PEFT conversion per architecture").
            if (!isA && architecture == "llama" && (target.Contains(".attn_q.", StringComparison.Ordinal) || target.Contains(".attn_k.", StringComparison.Ordinal)))
            {
                data = ToHuggingFaceRows(bytes, (int)(bytes.Length / dimensions[1]), target.Contains(".attn_q.", StringComparison.Ordinal) ? heads : kvHeads);
            }

            rank = isA ? (int)dimensions[1] : (int)dimensions[0];

            // ggml ne [n0, n1] is torch shape [n1, n0]: same bytes, dimensions listed the other way round.
            tensors.Add(($"base_model.model.{hfName}.lora_{(isA ? "A" : "B")}.weight", DType(type), [dimensions[1], dimensions[0]], data));
        }

        var safetensors = Path.Combine(directory, "adapter_model.safetensors");
        WriteSafetensors(safetensors, tensors);
        var config = Path.Combine(directory, "adapter_config.json");
        File.WriteAllText(config, JsonSerializer.Serialize(Config(rank, useRsLora ? alpha / MathF.Sqrt(rank) : alpha, useRsLora, modules, architecture)));
        return (safetensors, config);
    }

    /// <summary>The fields a PEFT 0.1x run saves, with the unsupported ones at their harmless defaults.</summary>
    private static Dictionary<string, object?> Config(int rank, float loraAlpha, bool useRsLora, IEnumerable<string> modules, string architecture) => new()
    {
        ["alpha_pattern"] = new Dictionary<string, int>(),
        ["base_model_name_or_path"] = architecture == "llama" ? "tiny-llama" : $"tiny-{architecture}",
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["inference_mode"] = true,
        ["init_lora_weights"] = true,
        ["layers_to_transform"] = null,
        ["lora_alpha"] = loraAlpha,
        ["lora_dropout"] = 0.05,
        ["modules_to_save"] = null,
        ["peft_type"] = "LORA",
        ["r"] = rank,
        ["rank_pattern"] = new Dictionary<string, int>(),
        ["target_modules"] = modules.ToArray(),
        ["task_type"] = "CAUSAL_LM",
        ["use_dora"] = false,
        ["use_rslora"] = useRsLora,
    };

    private static (string Module, string HfName) HfName(string target)
    {
        if (target == "output.weight")
        {
            return ("lm_head", "lm_head");
        }

        var parts = target.Split('.');
        var module = Modules[parts[2]];
        return (module.Split('.')[1], $"model.layers.{parts[1]}.{module}");
    }

    private static string DType(GgmlType type) => type switch
    {
        GgmlType.F32 => "F32",
        GgmlType.F16 => "F16",
        GgmlType.BF16 => "BF16",
        _ => throw new ArgumentException($"Unsupported tensor type {type}."),
    };
}
