namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// Copies a GGUF model with its <c>tokenizer.chat_template</c> replaced, or removed (null): the same tensors and
/// every other metadata entry in their order, so tests can serve one model under any chat template.
/// </summary>
public static class ChatTemplateVariant
{
    public const string ChatTemplateKey = "tokenizer.chat_template";

    public static void Write(string sourcePath, string destinationPath, string? chatTemplate)
    {
        var source = GgufReader.Read(sourcePath);
        var writer = new GgufWriter();
        foreach (var (key, value) in source.Metadata)
        {
            if (key != ChatTemplateKey)
            {
                writer.Add(key, value);
            }
        }

        if (chatTemplate is not null)
        {
            writer.Add(ChatTemplateKey, GgufValue.From(chatTemplate));
        }

        using var input = File.OpenRead(sourcePath);
        foreach (var tensor in source.Tensors)
        {
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, data =>
            {
                input.Position = source.DataOffset + tensor.Offset;
                var chunk = new byte[(int)Math.Min(1 << 20, tensor.ByteSize)];
                while (data.BytesRemaining > 0)
                {
                    var read = input.Read(chunk, 0, (int)Math.Min(chunk.Length, data.BytesRemaining));
                    if (read == 0)
                    {
                        throw new EndOfStreamException($"'{sourcePath}' ends inside tensor '{tensor.Name}'");
                    }

                    data.WriteBytes(chunk.AsSpan(0, read));
                }
            });
        }

        AtomicFile.Write(destinationPath, writer.WriteTo);
    }
}
