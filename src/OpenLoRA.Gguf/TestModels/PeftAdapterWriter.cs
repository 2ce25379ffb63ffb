using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenLoRA.Gguf.Peft;

namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Writes the PEFT form (adapter_model.safetensors + adapter_config.json, Hugging Face names and row order) of a
/// llama.cpp GGUF adapter: what a PEFT training run producing the same weights would have saved. Converting it
/// back must reproduce the GGUF adapter's effect exactly.
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

    /// <summary>Returns the paths of the safetensors and config files written into <paramref name="directory"/>.</summary>
    public static (string Safetensors, string Config) FromGguf(string ggufAdapterPath, string baseModelPath, string directory)
    {
        Directory.CreateDirectory(directory);
        var baseFile = GgufReader.Read(baseModelPath);
        var heads = (int)baseFile.Metadata.First(m => m.Key == "llama.attention.head_count").Value.Get<uint>();
        var kvHeads = (int)baseFile.Metadata.First(m => m.Key == "llama.attention.head_count_kv").Value.Get<uint>();
        var adapter = GgufReader.Read(ggufAdapterPath);
        var alpha = adapter.Metadata.First(m => m.Key == "adapter.lora.alpha").Value.Get<float>();
        var tensors = new List<(string Name, string DType, long[] Shape, byte[] Data)>();
        var modules = new SortedSet<string>(StringComparer.Ordinal);
        var rank = 0;
        using (var stream = File.OpenRead(ggufAdapterPath))
        {
            foreach (var tensor in adapter.Tensors)
            {
                var isA = tensor.Name.EndsWith(".lora_a", StringComparison.Ordinal);
                var target = tensor.Name[..tensor.Name.LastIndexOf('.')];
                var (module, hfName) = HfName(target);
                modules.Add(module);
                var data = new byte[tensor.ByteSize];
                stream.Position = adapter.DataOffset + tensor.Offset;
                stream.ReadExactly(data);
                var rows = (int)tensor.Dimensions[1];
                var rowBytes = (int)(tensor.ByteSize / rows);
                if (!isA && (target.Contains(".attn_q.", StringComparison.Ordinal) || target.Contains(".attn_k.", StringComparison.Ordinal)))
                {
                    data = RotaryPermutation.UnpermuteRows(data, rows, rowBytes, target.Contains(".attn_q.", StringComparison.Ordinal) ? heads : kvHeads);
                }

                rank = isA ? rows : (int)tensor.Dimensions[0];
                tensors.Add(($"base_model.model.{hfName}.lora_{(isA ? "A" : "B")}.weight", DType(tensor.Type), [tensor.Dimensions[1], tensor.Dimensions[0]], data));
            }
        }

        var safetensors = Path.Combine(directory, "adapter_model.safetensors");
        WriteSafetensors(safetensors, tensors);
        var config = Path.Combine(directory, "adapter_config.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["peft_type"] = "LORA",
            ["r"] = rank,
            ["lora_alpha"] = alpha,
            ["target_modules"] = modules.ToArray(),
            ["use_rslora"] = false,
            ["modules_to_save"] = null,
            ["bias"] = "none",
        }));
        return (safetensors, config);
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
