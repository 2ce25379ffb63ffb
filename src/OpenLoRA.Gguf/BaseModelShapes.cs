using System.Diagnostics.CodeAnalysis;
using OpenLoRA.Gguf.Format;

namespace OpenLoRA.Gguf;

/// <summary>
/// What the engine and the adapter validator need from a base model, read from its GGUF header without loading
/// any weights: architecture, context length, chat template, vocabulary size, attention head counts and every
/// tensor's shape (ggml order).
/// </summary>
public sealed class BaseModelShapes
{
    public BaseModelShapes(
        string architecture,
        IReadOnlyDictionary<string, IReadOnlyList<long>> tensors,
        long contextLength = 0,
        string? chatTemplate = null,
        int vocabularySize = 0,
        int headCount = 0,
        int kvHeadCount = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentNullException.ThrowIfNull(tensors);
        Architecture = architecture;
        Tensors = tensors;
        ContextLength = contextLength;
        ChatTemplate = chatTemplate;
        VocabularySize = vocabularySize;
        HeadCount = Math.Max(headCount, 0);
        KvHeadCount = kvHeadCount > 0 ? kvHeadCount : HeadCount;
    }

    /// <summary><c>general.architecture</c>, e.g. "llama".</summary>
    public string Architecture { get; }

    /// <summary><c>{architecture}.context_length</c>: the training context; 0 when the key is absent.</summary>
    public long ContextLength { get; }

    /// <summary><c>tokenizer.chat_template</c> (a Jinja template), or null.</summary>
    public string? ChatTemplate { get; }

    /// <summary>Number of entries in <c>tokenizer.ggml.tokens</c>; 0 when absent.</summary>
    public int VocabularySize { get; }

    /// <summary><c>{architecture}.attention.head_count</c>; 0 when absent or per-layer (an array).</summary>
    public int HeadCount { get; }

    /// <summary>
    /// <c>{architecture}.attention.head_count_kv</c>; <see cref="HeadCount"/> when absent, as llama.cpp defaults it.
    /// 0 when both are unknown.
    /// </summary>
    public int KvHeadCount { get; }

    /// <summary>Tensor name → dimensions in ggml order (ne0 = input dimension).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<long>> Tensors { get; }

    public bool TryGetShape(string tensorName, [MaybeNullWhen(false)] out IReadOnlyList<long> dimensions) =>
        Tensors.TryGetValue(tensorName, out dimensions);

    /// <summary>Reads the header of <paramref name="modelPath"/>; throws <see cref="GgufFormatException"/> when it is malformed.</summary>
    public static BaseModelShapes FromFile(string modelPath) => FromGguf(GgufReader.Read(modelPath));

    public static BaseModelShapes FromGguf(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var architecture = file.GetString(GgufConstants.ArchitectureKey);
        if (string.IsNullOrEmpty(architecture))
        {
            throw new GgufFormatException($"the base model has no string '{GgufConstants.ArchitectureKey}'");
        }

        var tensors = file.Tensors.ToDictionary(t => t.Name, t => t.Dimensions, StringComparer.Ordinal);
        var vocabulary = file.TryGetValue("tokenizer.ggml.tokens", out var tokens) && tokens.IsArray ? tokens.Count : 0;
        return new BaseModelShapes(
            architecture,
            tensors,
            ReadInteger(file, $"{architecture}.context_length"),
            file.GetString("tokenizer.chat_template"),
            vocabulary,
            ReadCount(file, $"{architecture}.attention.head_count"),
            ReadCount(file, $"{architecture}.attention.head_count_kv"));
    }

    /// <summary>
    /// A positive scalar count, else 0. Lenient on purpose: some architectures store head counts per layer as
    /// arrays, and a base model must still load for everything that does not need them.
    /// </summary>
    private static int ReadCount(GgufFile file, string key) =>
        file.TryGetValue(key, out var value) && value.TryGetInteger(out var count) && count is > 0 and <= int.MaxValue ? (int)count : 0;

    private static long ReadInteger(GgufFile file, string key)
    {
        if (!file.TryGetValue(key, out var value))
        {
            return 0;
        }

        return value.TryGetInteger(out var number) && number >= 0
            ? number
            : throw new GgufFormatException($"'{key}' has type {value.TypeName}; expected a non-negative integer");
    }
}
