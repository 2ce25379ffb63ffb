namespace OpenLoRA.Gguf.TestModels;

/// <summary>
/// A GPT-2 style byte-level BPE vocabulary: the 256 byte tokens (id = byte value, text = GPT-2's byte-to-unicode
/// character), merges whose result is always the concatenation of two existing tokens, and control tokens last.
/// Any UTF-8 text round-trips through it, because every byte has a token.
/// </summary>
internal sealed class ByteLevelVocabulary
{
    public const int NormalTokenType = 1;
    public const int ControlTokenType = 3;

    private readonly List<string> _tokens = [];
    private readonly List<int> _types = [];
    private readonly List<string> _merges = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public ByteLevelVocabulary()
    {
        for (var b = 0; b < 256; b++)
        {
            AddToken(ByteText((byte)b), NormalTokenType);
        }
    }

    public IReadOnlyList<string> Tokens => _tokens;

    public IReadOnlyList<int> TokenTypes => _types;

    public IReadOnlyList<string> Merges => _merges;

    public int Count => _tokens.Count;

    public bool Contains(string token) => _ids.ContainsKey(token);

    public int IdOf(string token) => _ids[token];

    /// <summary>GPT-2's bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 to U+0100 onwards.</summary>
    public static string ByteText(byte value)
    {
        if (IsPrintable(value))
        {
            return ((char)value).ToString();
        }

        var index = 0;
        for (var b = 0; b < value; b++)
        {
            if (!IsPrintable((byte)b))
            {
                index++;
            }
        }

        return ((char)(256 + index)).ToString();
    }

    /// <summary>Adds the merge "left right" and its result; false when the result already is a token.</summary>
    public bool TryAddMerge(string left, string right)
    {
        if (!_ids.ContainsKey(left) || !_ids.ContainsKey(right))
        {
            throw new ArgumentException($"merge '{left} {right}' uses a part that is not a token yet");
        }

        if (_ids.ContainsKey(left + right))
        {
            return false;
        }

        AddToken(left + right, NormalTokenType);
        _merges.Add($"{left} {right}");
        return true;
    }

    public int AddControl(string token)
    {
        AddToken(token, ControlTokenType);
        return _tokens.Count - 1;
    }

    private void AddToken(string text, int type)
    {
        _ids.Add(text, _tokens.Count);
        _tokens.Add(text);
        _types.Add(type);
    }

    private static bool IsPrintable(byte b) => b is >= (byte)'!' and <= (byte)'~' or >= 0xA1 and <= 0xAC or >= 0xAE;
}
