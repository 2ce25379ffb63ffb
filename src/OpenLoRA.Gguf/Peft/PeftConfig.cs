using System.Text;
using System.Text.Json;

namespace OpenLoRA.Gguf.Peft;

/// <summary>
/// The parts of PEFT's adapter_config.json that decide how a LoRA is applied. Options a llama.cpp adapter cannot
/// express are refused with a reason (<see cref="PeftUnsupportedFeatures"/>, <see cref="PeftTargetModules"/>).
/// </summary>
/// <param name="Rank">r: the rank of every pair unless <paramref name="HasRankPattern"/>.</param>
/// <param name="LoraAlpha">lora_alpha as PEFT reads it (PEFT's default of 8 when absent).</param>
/// <param name="UseRsLora">rsLoRA: PEFT scales by lora_alpha / sqrt(r) instead of lora_alpha / r.</param>
/// <param name="TargetModules">target_modules as written: module names, or one regex / "all-linear"; empty when absent.</param>
/// <param name="HasRankPattern">rank_pattern gives some modules other ranks; their tensors carry them.</param>
public sealed record PeftConfig(int Rank, float LoraAlpha, bool UseRsLora, IReadOnlyList<string> TargetModules, bool HasRankPattern = false)
{
    /// <summary>PEFT's LoraConfig default for lora_alpha.</summary>
    public const float DefaultLoraAlpha = 8f;

    /// <summary>Ranks above this are far beyond any LoRA (and beyond every hidden size we serve); refused as corrupt.</summary>
    public const int MaxRank = 65536;

    /// <summary>
    /// The alpha llama.cpp needs so that its scale, alpha / r (r from each pair's shape), equals PEFT's: lora_alpha / r,
    /// or lora_alpha / sqrt(r) with rsLoRA, i.e. alpha = lora_alpha · sqrt(r). llama.cpp's convert_lora_to_gguf.py
    /// writes lora_alpha unchanged and so gets rsLoRA adapters' scale wrong by sqrt(r).
    /// </summary>
    public float GgufAlpha => UseRsLora ? (float)(LoraAlpha * Math.Sqrt(Rank)) : LoraAlpha;

    public static PeftConfig Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses UTF-8 JSON; anything malformed or unsupported raises <see cref="PeftFormatException"/>.</summary>
    public static PeftConfig Parse(ReadOnlyMemory<byte> utf8Json)
    {
        // Editors on Windows save JSON with a UTF-8 byte order mark, which JsonDocument does not skip in bytes.
        if (utf8Json.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8Json = utf8Json[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 16 });
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

            var peftType = PeftJson.String(root, "peft_type")
                ?? throw new PeftFormatException("adapter_config.json has no peft_type; only LORA adapters can be converted.");
            if (!string.Equals(peftType, "LORA", StringComparison.OrdinalIgnoreCase))
            {
                throw new PeftFormatException($"peft_type {peftType} is not supported; only LORA.");
            }

            var useRsLora = PeftJson.Bool(root, "use_rslora");
            PeftUnsupportedFeatures.Check(root, useRsLora);
            var rank = PeftJson.Int(root, "r") ?? throw new PeftFormatException("adapter_config.json has no integer r.");
            var alpha = PeftJson.Number(root, "lora_alpha") ?? DefaultLoraAlpha;
            if (rank < 1 || rank > MaxRank)
            {
                throw new PeftFormatException($"r = {rank} is out of range (1 to {MaxRank}).");
            }

            if (!double.IsFinite(alpha) || alpha <= 0 || alpha > AdapterValidator.MaxAbsoluteValue)
            {
                throw new PeftFormatException($"lora_alpha = {alpha} is out of range (above 0, at most {AdapterValidator.MaxAbsoluteValue}).");
            }

            var targets = PeftJson.Strings(root, "target_modules");
            PeftTargetModules.Check(targets, isList: root.TryGetProperty("target_modules", out var t) && t.ValueKind == JsonValueKind.Array);
            var config = new PeftConfig(rank, (float)alpha, useRsLora, targets ?? [], PeftJson.IsSet(root, "rank_pattern"));
            if (!float.IsFinite(config.GgufAlpha) || config.GgufAlpha > AdapterValidator.MaxAbsoluteValue)
            {
                throw new PeftFormatException($"lora_alpha = {alpha} with use_rslora and r = {rank} gives a GGUF alpha of {config.GgufAlpha}, above {AdapterValidator.MaxAbsoluteValue}.");
            }

            return config;
        }
    }
}
