using OpenLoRA.Attribution.Datanets;

namespace OpenLoRA.Benchmarks;

/// <summary>
/// A deterministic synthetic tokenized Datanet shaped like real text: token ids Zipf-distributed over a 32,000-entry
/// vocabulary (exponent 1.05), and about one token in six coming from a pool of 5,000 recurring phrases of 4–32
/// tokens (themselves drawn with Zipf popularity), so the suffix array has the long shared prefixes that boilerplate,
/// quotations and formulaic sentences give a real corpus. Contributors come from a pool of 200 fixed addresses.
/// </summary>
internal static class SyntheticDatanet
{
    public const int Vocabulary = 32_000;
    public const int RecordCount = 20_000;
    public const int TokensPerRecord = 500;
    public const long TokenCount = (long)RecordCount * TokensPerRecord;
    public const int ContributorCount = 200;
    private const double TokenExponent = 1.05;
    private const int PhraseCount = 5_000;
    private const double PhraseProbability = 0.01;

    /// <summary>Draws fresh text from the corpus's token distribution (no phrases copied).</summary>
    public static ZipfSampler Tokens { get; } = new(Vocabulary, TokenExponent);

    public static string[] Contributors(int seed)
    {
        var random = new Random(seed);
        var addresses = new string[ContributorCount];
        var bytes = new byte[20];
        for (var i = 0; i < addresses.Length; i++)
        {
            random.NextBytes(bytes);
            addresses[i] = "0x" + Convert.ToHexStringLower(bytes);
        }

        return addresses;
    }

    public static List<TokenizedRecord> Create(int seed, int recordCount = RecordCount, int tokensPerRecord = TokensPerRecord)
    {
        var random = new Random(seed);
        var contributors = Contributors(seed);
        var phrases = new int[PhraseCount][];
        for (var p = 0; p < phrases.Length; p++)
        {
            phrases[p] = new int[random.Next(4, 33)];
            for (var i = 0; i < phrases[p].Length; i++)
            {
                phrases[p][i] = Tokens.Next(random);
            }
        }

        var phrasePopularity = new ZipfSampler(PhraseCount, 1.0);
        var records = new List<TokenizedRecord>(recordCount);
        for (var r = 0; r < recordCount; r++)
        {
            var tokens = new int[tokensPerRecord];
            var position = 0;
            while (position < tokens.Length)
            {
                if (random.NextDouble() < PhraseProbability)
                {
                    var phrase = phrases[phrasePopularity.Next(random)];
                    var length = Math.Min(phrase.Length, tokens.Length - position);
                    phrase.AsSpan(0, length).CopyTo(tokens.AsSpan(position));
                    position += length;
                }
                else
                {
                    tokens[position++] = Tokens.Next(random);
                }
            }

            records.Add(new TokenizedRecord($"rec-{r:D6}", contributors[random.Next(contributors.Length)], tokens));
        }

        return records;
    }
}
