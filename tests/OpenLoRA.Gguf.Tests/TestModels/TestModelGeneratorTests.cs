using OpenLoRA.Gguf.Tests.Support;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Gguf.Tests.TestModels;

public sealed class TestModelGeneratorTests
{
    [Fact]
    public void WriteTiny_TwiceIntoTwoFolders_ByteIdentical()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        var a = TestModelGenerator.WriteTiny(first.Path);
        var b = TestModelGenerator.WriteTiny(second.Path);

        Assert.Equal(File.ReadAllBytes(a.BaseModelPath), File.ReadAllBytes(b.BaseModelPath));
        Assert.Equal(a.AdapterPaths.Count, b.AdapterPaths.Count);
        foreach (var (left, right) in a.AdapterPaths.Zip(b.AdapterPaths))
        {
            Assert.Equal(File.ReadAllBytes(left), File.ReadAllBytes(right));
        }
    }

    [Fact]
    public void WriteTiny_OtherSeed_DifferentWeights()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        var a = TestModelGenerator.WriteTiny(first.Path, seed: 1);
        var b = TestModelGenerator.WriteTiny(second.Path, seed: 2);

        Assert.NotEqual(File.ReadAllBytes(a.BaseModelPath), File.ReadAllBytes(b.BaseModelPath));
    }

    [Fact]
    public void WriteTiny_Layout_MatchesDocumentedPaths()
    {
        using var directory = new TempDirectory();

        var set = TestModelGenerator.WriteTiny(directory.Path);

        Assert.Equal(directory.Combine("tiny", "tiny-llama.gguf"), set.BaseModelPath);
        Assert.Equal(
            ["tiny-attn-r4", "tiny-mlp-r8", "tiny-all-r2", "tiny-out-r4"],
            set.AdapterPaths.Select(Path.GetFileNameWithoutExtension));
        Assert.All(set.AdapterPaths, p => Assert.Equal(directory.Combine("tiny", "adapters"), Path.GetDirectoryName(p)));
        Assert.Equal(directory.Combine("tiny", "adapters"), set.AdapterDirectory);
        Assert.Empty(Directory.EnumerateFiles(directory.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void EnsureTinyModels_OneAdapterMissing_RewritesOnlyThatFile()
    {
        using var directory = new TempDirectory();
        var set = TestModelGenerator.EnsureTinyModels(directory.Path);
        var removed = set.AdapterPaths[1];
        var original = File.ReadAllBytes(removed);
        var untouched = File.GetLastWriteTimeUtc(set.BaseModelPath);
        File.SetLastWriteTimeUtc(set.BaseModelPath, untouched.AddHours(-1));
        File.Delete(removed);

        var again = TestModelGenerator.EnsureTinyModels(directory.Path);

        Assert.Equal(set, again with { AdapterPaths = set.AdapterPaths });
        Assert.Equal(original, File.ReadAllBytes(removed));
        Assert.Equal(untouched.AddHours(-1), File.GetLastWriteTimeUtc(set.BaseModelPath));
    }

    [Fact]
    public void WriteTiny_Model_HasTheSpecifiedHyperParameters()
    {
        using var directory = new TempDirectory();

        var file = GgufReader.Read(TestModelGenerator.WriteTiny(directory.Path).BaseModelPath);

        Assert.Equal(64u, Get<uint>(file, "llama.embedding_length"));
        Assert.Equal(2u, Get<uint>(file, "llama.block_count"));
        Assert.Equal(4u, Get<uint>(file, "llama.attention.head_count"));
        Assert.Equal(2u, Get<uint>(file, "llama.attention.head_count_kv"));
        Assert.Equal(128u, Get<uint>(file, "llama.feed_forward_length"));
        Assert.Equal(2048u, Get<uint>(file, "llama.context_length"));
        Assert.Equal(1e-5f, Get<float>(file, "llama.attention.layer_norm_rms_epsilon"));
        Assert.Equal(10000f, Get<float>(file, "llama.rope.freq_base"));
        Assert.Equal("gpt2", file.GetString("tokenizer.ggml.model"));
        Assert.Equal("default", file.GetString("tokenizer.ggml.pre"));
        Assert.True(Get<bool>(file, "tokenizer.ggml.add_bos_token"));
        Assert.All(file.Tensors, t => Assert.Equal(GgmlType.F32, t.Type));
        var parameters = file.Tensors.Sum(t => t.ElementCount);
        Assert.InRange(parameters, 90_000, 130_000);
    }

    [Fact]
    public void WriteTiny_Vocabulary_IsAValidByteLevelBpe()
    {
        using var directory = new TempDirectory();

        var file = GgufReader.Read(TestModelGenerator.WriteTiny(directory.Path).BaseModelPath);
        var tokens = file.Metadata.Single(p => p.Key == "tokenizer.ggml.tokens").Value.GetArray<string>();
        var types = file.Metadata.Single(p => p.Key == "tokenizer.ggml.token_type").Value.GetArray<int>();
        var merges = file.Metadata.Single(p => p.Key == "tokenizer.ggml.merges").Value.GetArray<string>();

        AssertValidVocabulary(tokens, types, merges);
        Assert.Equal((uint)tokens.Count - 2, Get<uint>(file, "tokenizer.ggml.bos_token_id"));
        Assert.Equal("Ġt", tokens[256]);
        Assert.Contains("Ġthe", tokens);
        Assert.InRange(merges.Count, 24, 96);
    }

    [Fact]
    public void BenchVocabulary_32000Tokens_EveryMergeValid()
    {
        var vocabulary = TestVocabularies.Generated(32000, DeterministicRandom.ForStream(42, "bench-llama/vocabulary"));

        Assert.Equal(32000, vocabulary.Count);
        Assert.Equal(31998, vocabulary.IdOf("<s>"));
        Assert.Equal(31999, vocabulary.IdOf("</s>"));
        AssertValidVocabulary(vocabulary.Tokens, vocabulary.TokenTypes, vocabulary.Merges);
    }

    [Fact]
    public void ByteText_MatchesGpt2ByteToUnicode()
    {
        Assert.Equal("Ġ", ByteLevelVocabulary.ByteText((byte)' '));
        Assert.Equal("Ċ", ByteLevelVocabulary.ByteText((byte)'\n'));
        Assert.Equal("Ā", ByteLevelVocabulary.ByteText(0));
        Assert.Equal("a", ByteLevelVocabulary.ByteText((byte)'a'));
        Assert.Equal("Ń", ByteLevelVocabulary.ByteText(0xAD));
        Assert.Equal(256, Enumerable.Range(0, 256).Select(b => ByteLevelVocabulary.ByteText((byte)b)).Distinct().Count());
    }

    private static void AssertValidVocabulary(IReadOnlyList<string> tokens, IReadOnlyList<int> types, IReadOnlyList<string> merges)
    {
        var ids = tokens.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id);
        Assert.Equal(tokens.Count, ids.Count);
        Assert.Equal(tokens.Count, types.Count);
        Assert.Equal(256 + merges.Count + 2, tokens.Count);
        Assert.Equal([3, 3], types.TakeLast(2));
        Assert.All(types.SkipLast(2), type => Assert.Equal(1, type));
        for (var i = 0; i < merges.Count; i++)
        {
            var parts = merges[i].Split(' ');
            Assert.Equal(2, parts.Length);
            var merged = ids[parts[0] + parts[1]];
            Assert.True(ids[parts[0]] < merged && ids[parts[1]] < merged, $"merge '{merges[i]}' uses a later token");
            Assert.Equal(256 + i, merged);
        }
    }

    private static T Get<T>(GgufFile file, string key)
    {
        Assert.True(file.TryGetValue(key, out var value), key);
        return value.Get<T>();
    }

    [Fact]
    public void WriteTinyAdapterVariant_NamesAndSeeds_DistinctValidFiles()
    {
        using var directory = new TempDirectory();
        var shapes = BaseModelShapes.FromFile(TestModelGenerator.WriteTiny(directory.Combine("models")).BaseModelPath);
        var hashes = new HashSet<string>();

        foreach (var (name, seed) in new[] { ("a", 1), ("a", 2), ("b", 1) })
        {
            var path = TestModelGenerator.WriteTinyAdapterVariant(directory.Combine("variants"), name, seed);

            Assert.Equal(directory.Combine("variants", name + ".gguf"), path);
            Assert.True(AdapterValidator.Validate(path, shapes).IsValid);
            hashes.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
        }

        Assert.Equal(3, hashes.Count);
    }

    [Fact]
    public void WriteTinyAdapterVariant_SameNameAndSeed_ByteIdentical()
    {
        using var directory = new TempDirectory();

        var first = File.ReadAllBytes(TestModelGenerator.WriteTinyAdapterVariant(directory.Combine("one"), "v-7", 7));
        var second = File.ReadAllBytes(TestModelGenerator.WriteTinyAdapterVariant(directory.Combine("two"), "v-7", 7));

        Assert.Equal(first, second);
        Assert.InRange(first.Length, 1, 4096);
    }

    [Fact]
    public void EnsureBenchAdapterVariants_WritesOnlyMissingVariantsBesideTheBenchAdapters()
    {
        using var directory = new TempDirectory();
        var baseModel = WriteBenchPlaceholders(directory);

        var first = TestModelGenerator.EnsureBenchAdapterVariants(directory.Path, 2);
        File.SetLastWriteTimeUtc(first[0], new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var again = TestModelGenerator.EnsureBenchAdapterVariants(directory.Path, 3);

        var adapters = directory.Combine("bench", "adapters");
        Assert.Equal([Path.Combine(adapters, "bench-x-00.gguf"), Path.Combine(adapters, "bench-x-01.gguf")], first);
        Assert.Equal([.. first, Path.Combine(adapters, "bench-x-02.gguf")], again);
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(first[0]));
        Assert.Equal(0, new FileInfo(baseModel).Length);
        foreach (var (path, rank) in again.Zip([8, 16, 8]))
        {
            AssertBenchAdapter(GgufReader.Read(path), Path.GetFileNameWithoutExtension(path), rank);
        }

        Assert.NotEqual(File.ReadAllBytes(again[0]), File.ReadAllBytes(again[2]));
        Assert.Empty(Directory.EnumerateFiles(directory.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void EnsureBenchAdapterVariants_TwoFolders_ByteIdentical()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        WriteBenchPlaceholders(first);
        WriteBenchPlaceholders(second);

        var a = TestModelGenerator.EnsureBenchAdapterVariants(first.Path, 1).Single();
        var b = TestModelGenerator.EnsureBenchAdapterVariants(second.Path, 1).Single();

        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    /// <summary>Empty files in the bench set's places, so the variants are written without the minute-long base model.</summary>
    private static string WriteBenchPlaceholders(TempDirectory directory)
    {
        Directory.CreateDirectory(directory.Combine("bench", "adapters"));
        var baseModel = directory.Combine("bench", "bench-llama.gguf");
        File.WriteAllBytes(baseModel, []);
        foreach (var name in new[] { "r8", "r16" }.SelectMany(rank => "abcdefgh".Select(letter => $"bench-{rank}-{letter}")))
        {
            File.WriteAllBytes(directory.Combine("bench", "adapters", name + ".gguf"), []);
        }

        return baseModel;
    }

    private static void AssertBenchAdapter(GgufFile file, string name, int rank)
    {
        Assert.Equal(name, file.GetString("general.name"));
        Assert.Equal("lora", file.GetString("adapter.type"));
        Assert.Equal(2f * rank, Get<float>(file, "adapter.lora.alpha"));
        Assert.Equal(12 * 7 * 2, file.Tensors.Count);
        Assert.All(file.Tensors, t => Assert.Equal(GgmlType.F16, t.Type));
        Assert.True(file.TryGetTensor("blk.0.attn_q.weight.lora_a", out var a));
        Assert.Equal([768L, rank], a.Dimensions);
        Assert.True(file.TryGetTensor("blk.11.ffn_down.weight.lora_b", out var b));
        Assert.Equal([rank, 768L], b.Dimensions);
    }
}
