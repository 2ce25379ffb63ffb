using System.Collections.Concurrent;
using System.Globalization;
using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>
/// The real server with its own data directory, plus adapters to upload to it: the tiny set generated with other
/// seeds has the served base model's shapes but other weights, so every seed gives new content.
/// </summary>
public class AdapterServerFixture : ServerFixture
{
    private readonly ConcurrentDictionary<int, TestModelSet> _variants = new();
    private readonly Lazy<BaseModelShapes> _shapes;

    public AdapterServerFixture() => _shapes = new Lazy<BaseModelShapes>(() => BaseModelShapes.FromFile(BaseModelPath));

    /// <summary>The base model the server serves (it generated it on start).</summary>
    public string BaseModelPath => Path.Combine(WorkDirectory, "models", "tiny", "tiny-llama.gguf");

    /// <summary>Shapes of <see cref="BaseModelPath"/>.</summary>
    public BaseModelShapes Shapes => _shapes.Value;

    /// <summary>The tiny adapter <paramref name="adapter"/> generated with <paramref name="seed"/>: a file on disk.</summary>
    public string VariantPath(int seed, string adapter = TestModels.Adapter)
    {
        var set = _variants.GetOrAdd(seed, s =>
            TestModelGenerator.WriteTiny(Path.Combine(WorkDirectory, "variants", s.ToString(CultureInfo.InvariantCulture)), s));
        return set.AdapterPaths.Single(p => Path.GetFileNameWithoutExtension(p) == adapter);
    }

    public byte[] Variant(int seed, string adapter = TestModels.Adapter) => File.ReadAllBytes(VariantPath(seed, adapter));

    /// <summary>A folder for a test's own files, deleted with the fixture.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(WorkDirectory, "test-files", name)).FullName;
}
