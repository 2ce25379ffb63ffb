using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Backend.Ggml;

/// <summary>
/// The ggml backend refuses what would trip a GGML_ASSERT (and kill the process) with a <see cref="BackendException"/>,
/// keeps working afterwards, and manages its LoRA slots: bounded, reusable, no data left behind by a previous tenant.
/// </summary>
public sealed class GgmlStepBackendTests : IDisposable
{
    private static readonly int[] Prompt = [1, 40, 41, 42, 43, 44, 45];

    private readonly string _root = Directory.CreateTempSubdirectory("openlora-ggml-unit-").FullName;
    private readonly TestModelSet _models;

    public GgmlStepBackendTests() => _models = TestModelGenerator.EnsureTinyModels(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Execute_InvalidItems_ThrowBackendExceptionAndTheBackendStillServes()
    {
        using var backend = Create(slots: 2, rank: 8);
        var expected = Logits(backend, null, Prompt);

        Assert.Throws<BackendException>(() => Step(backend, new StepItem(0, null, new[] { backend.VocabSize }, 0, true)));
        Assert.Throws<BackendException>(() => Step(backend, new StepItem(0, null, new[] { -1 }, 0, true)));
        Assert.Throws<BackendException>(() => Step(backend, new StepItem(0, null, new[] { 5 }, 3, true)));
        Assert.Throws<BackendException>(() => Step(backend, new StepItem(backend.MaxSequences, null, new[] { 5 }, 0, true)));
        Assert.Throws<BackendException>(() => Step(backend, new StepItem(0, null, Enumerable.Repeat(5, backend.SequenceContextSize + 1).ToArray(), 0, true)));
        Assert.Throws<BackendException>(() => Step(backend, new StepItem(0, null, new[] { 5 }, 0, true), new StepItem(0, null, new[] { 6 }, 0, true)));
        Assert.Throws<BackendException>(() => Step(backend, new StepItem(1, new ForeignAdapter(), new[] { 5 }, 0, true)));

        Assert.Equal(expected, Logits(backend, null, Prompt));
    }

    [Fact]
    public void LoadAdapter_BeyondTheSlots_IsRefusedUntilOneIsUnloaded()
    {
        using var backend = Create(slots: 2, rank: 8);
        var first = backend.LoadAdapter(Adapter("tiny-attn-r4"));
        backend.LoadAdapter(Adapter("tiny-mlp-r8"));

        var full = Assert.Throws<BackendException>(() => backend.LoadAdapter(Adapter("tiny-all-r2")));
        Assert.Contains("slots", full.Message);

        backend.UnloadAdapter(first);
        backend.UnloadAdapter(first);
        Assert.NotNull(backend.LoadAdapter(Adapter("tiny-all-r2")));
    }

    [Fact]
    public void LoadAdapter_RankAboveTheSlotRank_IsRefusedAndFreesItsSlot()
    {
        using var backend = Create(slots: 1, rank: 4);

        var refused = Assert.Throws<BackendException>(() => backend.LoadAdapter(Adapter("tiny-mlp-r8")));
        Assert.Contains("rank 8", refused.Message);
        Assert.NotNull(backend.LoadAdapter(Adapter("tiny-attn-r4")));
    }

    [Fact]
    public void LoadAdapter_IntoASlotAnotherAdapterUsed_GivesTheSameLogitsAsAFreshBackend()
    {
        using var fresh = Create(slots: 1, rank: 8);
        var expected = Logits(fresh, fresh.LoadAdapter(Adapter("tiny-attn-r4")), Prompt);

        using var reused = Create(slots: 1, rank: 8);
        var everything = reused.LoadAdapter(Adapter("tiny-all-r2"));
        var withEverything = Logits(reused, everything, Prompt);
        reused.UnloadAdapter(everything);
        var actual = Logits(reused, reused.LoadAdapter(Adapter("tiny-attn-r4")), Prompt);

        Assert.NotEqual(expected, withEverything);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Adapters_ChangeTheLogits_AndTheBaseModelIgnoresLoadedSlots()
    {
        using var backend = Create(slots: 4, rank: 8);
        var baseline = Logits(backend, null, Prompt);
        foreach (var name in new[] { "tiny-attn-r4", "tiny-mlp-r8", "tiny-all-r2", "tiny-out-r4" })
        {
            var adapter = backend.LoadAdapter(Adapter(name));
            Assert.NotEqual(baseline, Logits(backend, adapter, Prompt));
        }

        Assert.Equal(baseline, Logits(backend, null, Prompt));
    }

    [Fact]
    public void TryRead_ModelsTheBackendCannotRun_GiveAReason()
    {
        Assert.True(GgmlLlamaConfig.TryRead(_models.BaseModelPath, out _, out _));

        var otherArchitecture = Rewrite("gpt2.gguf", metadata: ("general.architecture", GgufValue.From("gpt2")));
        Assert.False(GgmlLlamaConfig.TryRead(otherArchitecture, out _, out var reason));
        Assert.Contains("gpt2", reason);

        var withBias = Rewrite("bias.gguf", extraTensor: "blk.0.attn_output.bias");
        Assert.False(GgmlLlamaConfig.TryRead(withBias, out _, out reason));
        Assert.Contains("blk.0.attn_output.bias", reason);

        var oddHeads = Rewrite("heads.gguf", metadata: ("llama.attention.head_count", GgufValue.From(3u)));
        Assert.False(GgmlLlamaConfig.TryRead(oddHeads, out _, out reason));
        Assert.Contains("heads", reason);

        var truncated = Path.Combine(_root, "truncated.gguf");
        File.WriteAllBytes(truncated, File.ReadAllBytes(_models.BaseModelPath)[..4096]);
        Assert.False(GgmlLlamaConfig.TryRead(truncated, out _, out reason));
        Assert.NotNull(reason);
    }

    private GgmlStepBackend Create(int slots, int rank)
    {
        Assert.True(GgmlLlamaConfig.TryRead(_models.BaseModelPath, out var config, out var reason), reason);
        return new GgmlStepBackend(config, new GgmlStepBackendOptions(64, 4, 32, 2, slots, rank));
    }

    private string Adapter(string name) => _models.AdapterPaths.Single(p => Path.GetFileNameWithoutExtension(p) == name);

    private static void Step(IStepBackend backend, params StepItem[] items) => backend.Execute(items, (_, _) => { });

    private static float[] Logits(IStepBackend backend, IBackendAdapter? adapter, int[] prompt)
    {
        float[]? logits = null;
        backend.ClearSequence(0);
        backend.Execute([new StepItem(0, adapter, prompt, 0, true)], (_, values) => logits = values.ToArray());
        backend.ClearSequence(0);
        return logits!;
    }

    private string Rewrite(string name, (string Key, GgufValue Value)? metadata = null, string? extraTensor = null)
    {
        var file = GgufReader.Read(_models.BaseModelPath);
        var writer = new GgufWriter();
        foreach (var (key, value) in file.Metadata)
        {
            writer.Add(key, metadata is { } m && m.Key == key ? m.Value : value);
        }

        using var stream = File.OpenRead(_models.BaseModelPath);
        foreach (var tensor in file.Tensors)
        {
            var values = GgufReader.ReadTensorValues(stream, file, tensor);
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, data => data.WriteValues(values));
        }

        if (extraTensor is not null)
        {
            writer.AddTensor(extraTensor, GgmlType.F32, [64], data => data.WriteValues(new float[64]));
        }

        var path = Path.Combine(_root, name);
        writer.WriteTo(path);
        return path;
    }

    private sealed class ForeignAdapter : IBackendAdapter
    {
        public string Path => "foreign";
    }
}
