using OpenLoRA.Gguf;

namespace OpenLoRA.Engine.Tests.Adapters.Publishing;

/// <summary>
/// Distinct valid adapters from one generated adapter: the same tensors with <c>adapter.lora.alpha</c> scaled by a
/// seed-dependent factor, written through <see cref="GgufWriter"/>, so every seed has its own content hash.
/// </summary>
internal static class AdapterVariants
{
    private const string AlphaKey = "adapter.lora.alpha";

    public static void Write(string templatePath, string destination, int seed)
    {
        var file = GgufReader.Read(templatePath);
        using var source = File.OpenRead(templatePath);
        var writer = new GgufWriter();
        foreach (var (key, value) in file.Metadata)
        {
            writer.Add(key, key == AlphaKey ? GgufValue.From(value.Get<float>() * (1f + (seed + 1) / 4096f)) : value);
        }

        foreach (var tensor in file.Tensors)
        {
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, data =>
            {
                var bytes = new byte[tensor.ByteSize];
                source.Position = file.DataOffset + tensor.Offset;
                source.ReadExactly(bytes);
                data.WriteBytes(bytes);
            });
        }

        writer.WriteTo(destination);
    }
}
