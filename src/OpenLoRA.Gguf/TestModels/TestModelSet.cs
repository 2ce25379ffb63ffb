namespace OpenLoRA.Gguf.TestModels;

/// <summary>Full paths of one generated base model and its adapters.</summary>
public sealed record TestModelSet(string BaseModelPath, IReadOnlyList<string> AdapterPaths)
{
    public string AdapterDirectory => Path.GetDirectoryName(BaseModelPath) is { } folder ? Path.Combine(folder, "adapters") : "adapters";
}
