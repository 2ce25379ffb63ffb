namespace OpenLoRA.Gguf.TestModels;

/// <summary>The tiny model's hand-picked English merges and the bench model's seeded 32,000-token vocabulary.</summary>
internal static class TestVocabularies
{
    public const string Bos = "<s>";
    public const string Eos = "</s>";

    // Frequent English pairs, in rank order; "Ġ" is GPT-2's character for the space byte.
    private static readonly (string Left, string Right)[] TinyMerges =
    [
        ("Ġ", "t"), ("h", "e"), ("i", "n"), ("r", "e"), ("o", "n"), ("Ġt", "he"), ("e", "r"), ("Ġ", "a"),
        ("a", "n"), ("o", "u"), ("Ġ", "s"), ("e", "n"), ("a", "t"), ("o", "r"), ("Ġ", "w"), ("e", "s"),
        ("i", "s"), ("i", "t"), ("Ġ", "o"), ("Ġ", "c"), ("e", "d"), ("n", "d"), ("Ġ", "b"), ("a", "r"),
        ("Ġ", "f"), ("Ġ", "m"), ("in", "g"), ("Ġ", "h"), ("Ġ", "p"), ("l", "l"), ("o", "w"), ("Ġ", "d"),
        ("l", "e"), ("Ġa", "nd"), ("Ġt", "o"), ("Ġo", "f"), ("Ġ", "i"), ("Ġi", "n"), ("Ġ", "l"), ("Ġ", "H"),
        ("Ġ", "T"), ("Ġ", "I"), ("Ġw", "h"), ("Ġt", "h"), ("Ġth", "at"), ("o", "m"), ("Ġ", "y"), ("Ġy", "ou"),
    ];

    public static ByteLevelVocabulary Tiny()
    {
        var vocabulary = new ByteLevelVocabulary();
        foreach (var (left, right) in TinyMerges)
        {
            if (!vocabulary.TryAddMerge(left, right))
            {
                throw new InvalidOperationException($"tiny merge '{left} {right}' repeats a token");
            }
        }

        AddControls(vocabulary);
        return vocabulary;
    }

    /// <summary>
    /// Word-like merges until <paramref name="size"/> tokens: first a space or letter joined to each letter, then a
    /// seeded choice of an existing word piece extended by one lowercase letter (at most 12 characters).
    /// </summary>
    public static ByteLevelVocabulary Generated(int size, DeterministicRandom random)
    {
        var vocabulary = new ByteLevelVocabulary();
        var pieces = new List<string>();
        var space = ByteLevelVocabulary.ByteText((byte)' ');
        for (var c = 'a'; c <= 'z'; c++)
        {
            pieces.Add(c.ToString());
            pieces.Add(char.ToUpperInvariant(c).ToString());
        }

        foreach (var piece in pieces.ToList())
        {
            vocabulary.TryAddMerge(space, piece);
            pieces.Add(space + piece);
        }

        while (vocabulary.Count < size - 2)
        {
            var left = pieces[random.NextInt(pieces.Count)];
            var right = ((char)('a' + random.NextInt(26))).ToString();
            if (left.Length < 12 && vocabulary.TryAddMerge(left, right))
            {
                pieces.Add(left + right);
            }
        }

        AddControls(vocabulary);
        return vocabulary;
    }

    private static void AddControls(ByteLevelVocabulary vocabulary)
    {
        vocabulary.AddControl(Bos);
        vocabulary.AddControl(Eos);
    }
}
