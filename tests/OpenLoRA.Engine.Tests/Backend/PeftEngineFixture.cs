using OpenLoRA.Gguf.Peft;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Backend;

/// <summary>
/// The tiny engine with, beside the generated adapters, their PEFT forms converted back to GGUF (peft-*), and one
/// converted without the rotary row permutation (nopermute-*) to show that the permutation matters.
/// </summary>
public sealed class PeftEngineFixture : TinyEngineFixture
{
    protected override void PrepareModels(string modelsDirectory)
    {
        var models = TestModelGenerator.EnsureTinyModels(modelsDirectory);
        var adapters = Path.GetDirectoryName(models.AdapterPaths[0])!;
        foreach (var name in new[] { "tiny-attn-r4", "tiny-all-r2" })
        {
            var source = models.AdapterPaths.Single(p => Path.GetFileNameWithoutExtension(p) == name);
            var peft = PeftAdapterWriter.FromGguf(source, models.BaseModelPath, Path.Combine(Root, "peft", name));
            var suffix = name["tiny-".Length..];
            PeftConverter.Convert(peft.Safetensors, peft.Config, models.BaseModelPath, Path.Combine(adapters, $"peft-{suffix}.gguf"));
            PeftConverter.Convert(peft.Safetensors, peft.Config, models.BaseModelPath, Path.Combine(adapters, $"nopermute-{suffix}.gguf"), applyRotaryPermutation: false);
        }
    }
}
