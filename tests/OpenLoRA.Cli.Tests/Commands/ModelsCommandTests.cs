using OpenLoRA.Cli.Commands;
using OpenLoRA.Gguf;

namespace OpenLoRA.Cli.Tests.Commands;

/// <summary>`openlora models make --quantize`: llama.cpp's quantized copies next to each generated base model.</summary>
public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-models-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Make_WithQuantize_WritesEachTypeBesideTheBaseModel()
    {
        var status = ModelsCommand.Create().Parse(["make", "--dir", _root, "--tiny-only", "--quantize", "Q8_0,q4_0"]).Invoke();

        Assert.Equal(0, status);
        var q8 = GgufReader.Read(Path.Combine(_root, "tiny", "tiny-llama-Q8_0.gguf"));
        var q4 = GgufReader.Read(Path.Combine(_root, "tiny", "tiny-llama-Q4_0.gguf"));
        Assert.Equal(GgmlType.Q8_0, q8.Tensors.Single(t => t.Name == "blk.0.attn_q.weight").Type);
        Assert.Equal(GgmlType.Q4_0, q4.Tensors.Single(t => t.Name == "blk.0.attn_q.weight").Type);
        Assert.Empty(Directory.EnumerateFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Make_WithUnknownQuantization_FailsBeforeWritingAnything()
    {
        var status = ModelsCommand.Create().Parse(["make", "--dir", _root, "--tiny-only", "--quantize", "Q8_0,Q9_Z"]).Invoke();

        Assert.NotEqual(0, status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }
}
