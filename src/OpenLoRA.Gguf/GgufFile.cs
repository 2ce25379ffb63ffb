using System.Diagnostics.CodeAnalysis;

namespace OpenLoRA.Gguf;

/// <summary>The parsed header of a GGUF file: metadata in file order, tensor infos, and where tensor data starts.</summary>
public sealed class GgufFile
{
    private readonly Dictionary<string, GgufValue> _byKey;
    private readonly Dictionary<string, GgufTensorInfo> _tensorsByName;

    internal GgufFile(
        uint version,
        IReadOnlyList<KeyValuePair<string, GgufValue>> metadata,
        IReadOnlyList<GgufTensorInfo> tensors,
        uint alignment,
        long tensorInfoPosition,
        long dataOffset,
        long fileLength)
    {
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        TensorInfoPosition = tensorInfoPosition;
        DataOffset = dataOffset;
        FileLength = fileLength;
        _byKey = metadata.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        _tensorsByName = tensors.ToDictionary(tensor => tensor.Name, StringComparer.Ordinal);
    }

    public uint Version { get; }

    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary><c>general.alignment</c>, or 32 when the key is absent.</summary>
    public uint Alignment { get; }

    /// <summary>File position of the first tensor info record (right after the metadata).</summary>
    public long TensorInfoPosition { get; }

    /// <summary>File position of the tensor data section (after the tensor infos, padded to the alignment).</summary>
    public long DataOffset { get; }

    public long FileLength { get; }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out GgufValue value) => _byKey.TryGetValue(key, out value);

    /// <summary>The string value of <paramref name="key"/>, or null when it is absent or not a string.</summary>
    public string? GetString(string key) => _byKey.TryGetValue(key, out var value) && value.TryGet<string>(out var text) ? text : null;

    public bool TryGetTensor(string name, [MaybeNullWhen(false)] out GgufTensorInfo tensor) => _tensorsByName.TryGetValue(name, out tensor);
}
