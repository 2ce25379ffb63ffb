using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.IntegrationTests.Validation;

/// <summary>The tiny model set generated into a temp folder that is deleted afterwards.</summary>
public sealed class ValidationFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-validation-").FullName;

    public ValidationFixture()
    {
        Set = TestModelGenerator.WriteTiny(Path.Combine(_root, "models"));
        Shapes = BaseModelShapes.FromFile(Set.BaseModelPath);
    }

    public TestModelSet Set { get; }

    public BaseModelShapes Shapes { get; }

    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
