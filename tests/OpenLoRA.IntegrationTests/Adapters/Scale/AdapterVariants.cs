using System.Buffers.Binary;
using System.Text;

namespace OpenLoRA.IntegrationTests.Adapters.Scale;

/// <summary>
/// Distinct valid adapters made cheaply from one generated adapter by rewriting its f32 <c>adapter.lora.alpha</c>
/// value in place: every variant has its own content hash and a slightly different effect.
/// </summary>
internal sealed class AdapterVariants
{
    private readonly byte[] _template;
    private readonly int _alphaOffset;
    private readonly float _alpha;

    public AdapterVariants(string templatePath)
    {
        _template = File.ReadAllBytes(templatePath);
        var key = Encoding.UTF8.GetBytes("adapter.lora.alpha");
        var keyAt = _template.AsSpan().IndexOf(key);
        if (keyAt < 0 || BinaryPrimitives.ReadUInt32LittleEndian(_template.AsSpan(keyAt + key.Length)) != 6)
        {
            throw new InvalidOperationException("The template has no f32 adapter.lora.alpha.");
        }

        // Key bytes, then the u32 value type (6 = f32), then the value.
        _alphaOffset = keyAt + key.Length + 4;
        _alpha = BinaryPrimitives.ReadSingleLittleEndian(_template.AsSpan(_alphaOffset));
    }

    public string Write(string directory, string name, int index)
    {
        var bytes = (byte[])_template.Clone();
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(_alphaOffset), _alpha * (1f + (index + 1) / 4096f));
        var path = Path.Combine(directory, name + ".gguf");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
