using System.Globalization;
using OpenLoRA.Gguf.Format;

namespace OpenLoRA.Gguf.Validation;

/// <summary>Checks the keys llama.cpp reads from an adapter: their types first (a wrong type aborts), then their values.</summary>
internal static class AdapterMetadataRules
{
    public static string? Check(GgufFile file, string baseArchitecture, out float alpha)
    {
        alpha = 0;
        foreach (var (key, type) in AdapterKeys.Typed)
        {
            if (file.TryGetValue(key, out var value) && (value.Type != type || value.IsArray))
            {
                return $"'{key}' has type {value.TypeName}; expected {GgufValueTypes.Name(type)}";
            }
        }

        if (file.TryGetValue(AdapterKeys.AloraInvocationTokens, out _))
        {
            return $"activated LoRA adapters ('{AdapterKeys.AloraInvocationTokens}') are not supported";
        }

        var generalType = file.GetString(AdapterKeys.GeneralType);
        if (generalType != "adapter")
        {
            return generalType is null
                ? $"'{AdapterKeys.GeneralType}' is missing; expected 'adapter'"
                : $"'{AdapterKeys.GeneralType}' is '{generalType}'; expected 'adapter'";
        }

        var adapterType = file.GetString(AdapterKeys.AdapterType);
        if (adapterType != "lora")
        {
            return adapterType is null
                ? $"'{AdapterKeys.AdapterType}' is missing; expected 'lora'"
                : $"'{AdapterKeys.AdapterType}' is '{adapterType}'; only 'lora' adapters are supported";
        }

        var architecture = file.GetString(AdapterKeys.Architecture);
        if (architecture != baseArchitecture)
        {
            return architecture is null
                ? $"'{AdapterKeys.Architecture}' is missing; the base model is '{baseArchitecture}'"
                : $"architecture '{architecture}' does not match the base model's '{baseArchitecture}'";
        }

        if (file.TryGetValue(AdapterKeys.LoraAlpha, out var alphaValue))
        {
            alpha = alphaValue.Get<float>();
            if (!float.IsFinite(alpha) || Math.Abs(alpha) > AdapterLimits.MaxAbsoluteValue)
            {
                return $"'{AdapterKeys.LoraAlpha}' is {alpha.ToString(CultureInfo.InvariantCulture)}; it must be finite with magnitude at most {AdapterLimits.MaxAbsoluteValue.ToString("0.#E+0", CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }
}
