namespace OpenLoRA.Engine.Backend;

/// <summary>A base model's vocabulary. Thread-safe (read-only native vocabulary).</summary>
internal interface ITokenizer
{
    int VocabSize { get; }

    /// <summary>The model's chat template (GGUF <c>tokenizer.chat_template</c>), if any.</summary>
    string? ChatTemplate { get; }

    /// <param name="parseSpecial">When false, text that looks like a special token stays plain text.</param>
    int[] Tokenize(string text, bool addBos, bool parseSpecial);

    /// <summary>Writes the token's bytes (control tokens render as nothing) and returns how many.</summary>
    int TokenBytes(int token, Span<byte> destination);

    bool IsEndOfGeneration(int token);
}
