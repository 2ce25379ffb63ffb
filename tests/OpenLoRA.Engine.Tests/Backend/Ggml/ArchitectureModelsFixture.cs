using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Backend.Ggml;

/// <summary>The small architecture models (all families), generated once per test run into a temp folder.</summary>
public sealed class ArchitectureModelsFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-arch-").FullName;
    private readonly Lazy<IReadOnlyDictionary<string, ArchitectureModelSet>> _small;

    public ArchitectureModelsFixture()
    {
        _small = new(() => TestModelGenerator.EnsureArchitectureModels(_root, ArchitectureModelSize.Small).ToDictionary(set => set.Family));
    }

    public string Root => _root;

    public ArchitectureModelSet Small(string family) => _small.Value[family];

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
