using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Backend;

/// <summary>
/// The tiny engine with, beside the generated GGUF adapters (tiny-*), PEFT adapters written in Hugging Face layout
/// from the same spec and seed and converted to GGUF (peft-*), and the same converted without the rotary row
/// permutation (nopermute-*) to show that the permutation matters. The engine registers every .gguf in the adapters
/// folder at start, named by file name. (An rsLoRA config converts to a byte-identical file, which the registry
/// would fold into one adapter by content hash; PeftConverterTests covers it.)
/// </summary>
public sealed class PeftEngineFixture : TinyEngineFixture
{
    protected override void PrepareModels(string modelsDirectory)
    {
        var models = TestModelGenerator.EnsureTinyModels(modelsDirectory);
        var adapters = models.AdapterDirectory;
        foreach (var name in new[] { "tiny-attn-r4", "tiny-all-r2" })
        {
            var suffix = name["tiny-".Length..];
            var peft = PeftAdapterWriter.WriteTiny(Path.Combine(Root, "peft", name), name);
            PeftConverter.Convert(peft.Safetensors, peft.Config, models.BaseModelPath, Path.Combine(adapters, $"peft-{suffix}.gguf"));
            PeftConverter.Convert(peft.Safetensors, peft.Config, models.BaseModelPath, Path.Combine(adapters, $"nopermute-{suffix}.gguf"), applyRotaryPermutation: false);
        }
    }
}
