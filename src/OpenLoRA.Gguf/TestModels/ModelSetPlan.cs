namespace OpenLoRA.Gguf.TestModels;

/// <summary>One generated set: <c>&lt;dir&gt;/&lt;Folder&gt;/&lt;model&gt;.gguf</c> and <c>&lt;dir&gt;/&lt;Folder&gt;/adapters/*.gguf</c>.</summary>
internal sealed record ModelSetPlan(string Folder, Func<LlamaModelSpec> Model, IReadOnlyList<LoraAdapterSpec> Adapters)
{
    public string BaseModelPath(string modelsDirectory) => Path.Combine(modelsDirectory, Folder, $"{Folder}-llama.gguf");

    public string AdapterPath(string modelsDirectory, LoraAdapterSpec adapter) =>
        Path.Combine(modelsDirectory, Folder, "adapters", $"{adapter.Name}.gguf");
}
