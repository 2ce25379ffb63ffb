namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// An adapter held in memory as editable metadata and tensors, so the good adapters and the deliberately broken
/// variants of <see cref="BadAdapterCatalog"/> come from one writer path.
/// </summary>
internal sealed class AdapterDraft
{
    public List<KeyValuePair<string, GgufValue>> Metadata { get; } = [];

    public List<DraftTensor> Tensors { get; } = [];

    /// <summary>Replaces the value of <paramref name="key"/> in place, or appends it.</summary>
    public AdapterDraft Set(string key, GgufValue value)
    {
        var index = Metadata.FindIndex(pair => pair.Key == key);
        var entry = new KeyValuePair<string, GgufValue>(key, value);
        if (index >= 0)
        {
            Metadata[index] = entry;
        }
        else
        {
            Metadata.Add(entry);
        }

        return this;
    }

    public AdapterDraft Remove(string key)
    {
        Metadata.RemoveAll(pair => pair.Key == key);
        return this;
    }

    public int IndexOf(string tensorName) => Tensors.FindIndex(t => t.Name == tensorName);

    public GgufWriter ToWriter()
    {
        var writer = new GgufWriter();
        foreach (var (key, value) in Metadata)
        {
            writer.Add(key, value);
        }

        foreach (var tensor in Tensors)
        {
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, data =>
            {
                if (tensor.RawBytes is { } raw)
                {
                    data.WriteBytes(raw);
                }
                else
                {
                    data.WriteValues(tensor.Values);
                }
            });
        }

        return writer;
    }
}
