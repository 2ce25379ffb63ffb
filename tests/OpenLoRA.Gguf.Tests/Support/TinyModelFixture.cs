using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.Support;

/// <summary>The tiny model set (seed 42) and its shapes, generated once per test class.</summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TinyModelFixture()
    {
        Set = TestModelGenerator.WriteTiny(_directory.Path);
        Shapes = BaseModelShapes.FromFile(Set.BaseModelPath);
    }

    public TestModelSet Set { get; }

    public BaseModelShapes Shapes { get; }

    public string Folder(string name)
    {
        var folder = _directory.Combine(name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public string AdapterPath(string name) => Set.AdapterPaths.Single(p => Path.GetFileNameWithoutExtension(p) == name);

    public void Dispose() => _directory.Dispose();
}
