namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// One small adapter file for each way a LoRA file can crash llama.cpp or be malformed (LLAMA-NOTES.md), each
/// derived from a good rank-2 adapter for the tiny model. <see cref="AdapterValidator"/> must refuse every one
/// with a reason containing <see cref="BadAdapterFile.ExpectedReason"/>.
/// </summary>
public static partial class BadAdapterCatalog
{
    private static readonly LoraAdapterSpec Baseline =
        new("bad-baseline", 2, 4f, ["attn_q", "attn_k", "ffn_down"], false, GgmlType.F32, 1f);

    private static readonly Lazy<IReadOnlyList<BadAdapterRecipe>> Recipes =
        new(() => [.. MetadataRecipes(), .. TensorRecipes(), .. ByteRecipes()]);

    public static IReadOnlyList<string> Names => [.. Recipes.Value.Select(recipe => recipe.Name)];

    public static IReadOnlyList<BadAdapterFile> WriteAll(string directory)
    {
        var model = TestModelCatalog.Tiny().Model();
        return [.. Recipes.Value.Select(recipe => Write(recipe, model, directory))];
    }

    public static BadAdapterFile Write(string name, string directory)
    {
        var recipe = Recipes.Value.SingleOrDefault(r => r.Name == name)
            ?? throw new ArgumentException($"no bad adapter named '{name}'", nameof(name));
        return Write(recipe, TestModelCatalog.Tiny().Model(), directory);
    }

    private static BadAdapterFile Write(BadAdapterRecipe recipe, LlamaModelSpec model, string directory)
    {
        var draft = LoraAdapterWriter.Draft(model, Baseline, TestModelGenerator.DefaultSeed);
        recipe.Edit?.Invoke(draft);
        using var buffer = new MemoryStream();
        draft.ToWriter().WriteTo(buffer);
        var bytes = buffer.ToArray();
        if (recipe.Patch is not null)
        {
            bytes = recipe.Patch(bytes, GgufReader.Read(new MemoryStream(bytes)));
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{recipe.Name}.gguf");
        File.WriteAllBytes(path, bytes);
        return new BadAdapterFile(recipe.Name, path, recipe.ExpectedReason);
    }

    private static BadAdapterRecipe Edit(string name, string reason, Action<AdapterDraft> edit) => new(name, reason, edit);

    private static BadAdapterRecipe Patch(string name, string reason, Func<byte[], GgufFile, byte[]> patch, Action<AdapterDraft>? edit = null) =>
        new(name, reason, edit, patch);
}
