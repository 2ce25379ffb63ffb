using System.Text.Json;

namespace OpenLoRA.Gguf.Peft;

/// <summary>The parts of PEFT's adapter_config.json that decide how a LoRA is applied; unsupported features are refused.</summary>
public sealed record PeftConfig(int Rank, float LoraAlpha, bool UseRsLora, IReadOnlyList<string> TargetModules)
{
    /// <summary>The alpha llama.cpp needs so that its alpha / r equals PEFT's scale (lora_alpha / r, or lora_alpha / sqrt(r) with rsLoRA).</summary>
    public float GgufAlpha => UseRsLora ? LoraAlpha * MathF.Sqrt(Rank) : LoraAlpha;

    public static PeftConfig Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new PeftFormatException($"adapter_config.json is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PeftFormatException("adapter_config.json is not a JSON object.");
            }

            var peftType = String(root, "peft_type") ?? "LORA";
            if (!string.Equals(peftType, "LORA", StringComparison.OrdinalIgnoreCase))
            {
                throw new PeftFormatException($"peft_type {peftType} is not supported; only LORA.");
            }

            Refuse(root, "modules_to_save", "modules_to_save is not supported: it stores full copies of base weights, which llama.cpp adapters cannot carry.");
            Refuse(root, "rank_pattern", "rank_pattern (per-module ranks) is not supported.");
            Refuse(root, "alpha_pattern", "alpha_pattern (per-module alphas) is not supported.");
            Refuse(root, "layers_to_transform", "layers_to_transform is not supported.");
            if (Bool(root, "use_dora"))
            {
                throw new PeftFormatException("use_dora is not supported: llama.cpp has no DoRA magnitude vectors.");
            }

            if (Bool(root, "fan_in_fan_out"))
            {
                throw new PeftFormatException("fan_in_fan_out is not supported (it is for Conv1D models such as GPT-2, not the llama family).");
            }

            var rank = Int(root, "r") ?? throw new PeftFormatException("adapter_config.json has no integer r.");
            var alpha = root.TryGetProperty("lora_alpha", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetSingle() : rank;
            if (rank < 1 || rank > 4096 || !float.IsFinite(alpha) || alpha <= 0 || alpha > AdapterValidator.MaxAbsoluteValue)
            {
                throw new PeftFormatException($"r = {rank} and lora_alpha = {alpha} are out of range.");
            }

            var targets = root.TryGetProperty("target_modules", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(e => e.GetString() ?? "").ToArray()
                : [];
            return new PeftConfig(rank, alpha, Bool(root, "use_rslora"), targets);
        }
    }

    private static void Refuse(JsonElement root, string key, string reason)
    {
        if (root.TryGetProperty(key, out var value) && value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.Array => value.GetArrayLength() > 0,
            JsonValueKind.Object => value.EnumerateObject().Any(),
            _ => true,
        })
        {
            throw new PeftFormatException(reason);
        }
    }

    private static string? String(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.True;

    private static int? Int(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
