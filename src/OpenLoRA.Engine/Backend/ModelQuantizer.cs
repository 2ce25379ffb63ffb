using LLama.Native;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Backend;

/// <summary>
/// Quantized copies of a GGUF model made by llama.cpp's own quantizer (<c>llama_model_quantize</c>, which
/// llama-quantize runs), with llama-quantize's defaults (output head quantized too, no importance matrix). Type names
/// are llama-quantize's; "Q4_K" and "Q5_K" are the pure variants (every matrix of that one type, llama-quantize's
/// <c>--pure</c>), the K_M mixes give some tensors more bits. llama.cpp falls back to another type for a tensor whose
/// rows are not whole blocks of its type (K-quants need multiples of 256). A copy is written to a temp file and
/// renamed, so no reader ever sees a partial model.
/// </summary>
public static class ModelQuantizer
{
    private static readonly Dictionary<string, (LLamaFtype FileType, bool Pure)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Q8_0"] = (LLamaFtype.MOSTLY_Q8_0, false),
        ["Q4_0"] = (LLamaFtype.MOSTLY_Q4_0, false),
        ["Q4_K_M"] = (LLamaFtype.MOSTLY_Q4_K_M, false),
        ["Q5_K_M"] = (LLamaFtype.MOSTLY_Q5_K_M, false),
        ["Q6_K"] = (LLamaFtype.MOSTLY_Q6_K, false),
        ["Q4_K"] = (LLamaFtype.MOSTLY_Q4_K_M, true),
        ["Q5_K"] = (LLamaFtype.MOSTLY_Q5_K_M, true),
    };

    /// <summary>The type names <see cref="Quantize"/> accepts.</summary>
    public static IReadOnlyList<string> Types { get; } = [.. Known.Keys];

    /// <summary>The canonical spelling of <paramref name="type"/> ("q4_k_m" → "Q4_K_M"); throws for an unknown type.</summary>
    public static string Canonical(string type) =>
        Known.ContainsKey(type) ? type.ToUpperInvariant() : throw new ArgumentException($"unknown quantization '{type}'; known: {string.Join(", ", Types)}", nameof(type));

    /// <summary>Where the copy of <paramref name="source"/> in <paramref name="type"/> goes: <c>&lt;name&gt;-&lt;TYPE&gt;.gguf</c> beside it.</summary>
    public static string PathFor(string source, string type)
    {
        var full = Path.GetFullPath(source);
        return Path.Combine(Path.GetDirectoryName(full)!, $"{Path.GetFileNameWithoutExtension(full)}-{Canonical(type)}.gguf");
    }

    /// <summary>Writes (or rewrites) the <paramref name="type"/> copy of <paramref name="source"/>; returns its path.</summary>
    /// <param name="threads">Quantizer threads; 0 = one per core.</param>
    public static string Quantize(string source, string type, int threads = 0)
    {
        var (fileType, pure) = Known.TryGetValue(type, out var known) ? known : throw new ArgumentException($"unknown quantization '{type}'", nameof(type));
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"model '{source}' does not exist", source);
        }

        var destination = PathFor(source, type);
        LlamaRuntime.EnsureInitialized();
        AtomicFile.Write(destination, temp =>
        {
            var parameters = LLamaModelQuantizeParams.Default();
            parameters.ftype = fileType;
            parameters.pure = pure;
            parameters.nthread = threads;
            var status = NativeApi.llama_model_quantize(Path.GetFullPath(source), temp, ref parameters);
            if (status != 0)
            {
                throw new BackendException($"llama.cpp could not quantize '{source}' to {Canonical(type)} (status {status}).");
            }
        });
        return destination;
    }

    /// <summary>The <paramref name="type"/> copy of <paramref name="source"/>, quantized only when it is missing.</summary>
    public static string EnsureQuantized(string source, string type)
    {
        var destination = PathFor(source, type);
        return File.Exists(destination) ? destination : Quantize(source, type);
    }
}
