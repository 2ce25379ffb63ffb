namespace OpenLoRA.Gguf.TestModels;

public static partial class BadAdapterCatalog
{
    // A key of the wrong type aborts inside gguf.cpp; wrong values are refused by llama.cpp but must not get that far.
    private static IEnumerable<BadAdapterRecipe> MetadataRecipes() =>
    [
        Edit("general-type-u32", "'general.type' has type u32; expected string", d => d.Set("general.type", GgufValue.From(1u))),
        Edit("general-type-array", "'general.type' has type array of string; expected string", d => d.Set("general.type", GgufValue.FromArray(["adapter"]))),
        Edit("architecture-u32", "'general.architecture' has type u32; expected string", d => d.Set("general.architecture", GgufValue.From(7u))),
        Edit("adapter-type-f64", "'adapter.type' has type f64; expected string", d => d.Set("adapter.type", GgufValue.From(1.0))),
        Edit("alpha-u32", "'adapter.lora.alpha' has type u32; expected f32", d => d.Set("adapter.lora.alpha", GgufValue.From(4u))),
        Edit("alpha-f64", "'adapter.lora.alpha' has type f64; expected f32", d => d.Set("adapter.lora.alpha", GgufValue.From(4.0))),
        Edit("alpha-string", "'adapter.lora.alpha' has type string; expected f32", d => d.Set("adapter.lora.alpha", GgufValue.From("4"))),
        Edit("alignment-u64", "'general.alignment' has type u64; expected u32", d => d.Set("general.alignment", GgufValue.From(32UL))),
        Edit("alignment-zero", "'general.alignment' is 0; it must be a power of two", d => d.Set("general.alignment", GgufValue.From(0u))),
        Edit("alignment-three", "'general.alignment' is 3; it must be a power of two", d => d.Set("general.alignment", GgufValue.From(3u))),
        Edit("architecture-mismatch", "architecture 'qwen2' does not match the base model's 'llama'", d => d.Set("general.architecture", GgufValue.From("qwen2"))),
        Edit("architecture-missing", "'general.architecture' is missing", d => d.Remove("general.architecture")),
        Edit("general-type-model", "'general.type' is 'model'; expected 'adapter'", d => d.Set("general.type", GgufValue.From("model"))),
        Edit("general-type-missing", "'general.type' is missing; expected 'adapter'", d => d.Remove("general.type")),
        Edit("adapter-type-ia3", "'adapter.type' is 'ia3'; only 'lora' adapters are supported", d => d.Set("adapter.type", GgufValue.From("ia3"))),
        Edit("alpha-nan", "'adapter.lora.alpha' is NaN; it must be finite", d => d.Set("adapter.lora.alpha", GgufValue.From(float.NaN))),
        Edit("alpha-huge", "'adapter.lora.alpha' is 1E+09; it must be finite with magnitude at most 1E+4", d => d.Set("adapter.lora.alpha", GgufValue.From(1e9f))),
        Edit("alora", "activated LoRA adapters", d => d.Set("adapter.alora.invocation_tokens", GgufValue.FromArray([1u, 2u]))),
    ];
}
