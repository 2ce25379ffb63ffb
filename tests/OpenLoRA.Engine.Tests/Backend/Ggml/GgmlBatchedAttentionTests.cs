using OpenLoRA.Engine.Backend;
using OpenLoRA.Engine.Backend.Ggml;
using OpenLoRA.Gguf.TestModels;

namespace OpenLoRA.Engine.Tests.Backend.Ggml;

/// <summary>
/// The batched attention of single-token rows (one flash_attn_ext per layer over every decoding slot) gives the logits of
/// the per-sequence path: scattered slots with holes between them, stale cells left in a slot by a longer earlier
/// sequence, different adapters, and a prefill chunk placed before the decodes (not in token order).
/// </summary>
public sealed class GgmlBatchedAttentionTests : IDisposable
{
    private const int Context = 64;
    private static readonly int[] Slots = [1, 2, 4, 6, 7];
    private static readonly int[] Lengths = [3, 17, 9, 30, 1];

    private readonly string _root = Directory.CreateTempSubdirectory("openlora-ggml-batched-").FullName;
    private readonly TestModelSet _models;

    public GgmlBatchedAttentionTests() => _models = TestModelGenerator.EnsureTinyModels(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Execute_MixedStepsWithBatchedDecodes_GiveThePerSequenceLogits()
    {
        using var batched = Create(batchDecodes: true);
        using var perSequence = Create(batchDecodes: false);

        var expected = Run(perSequence);
        var actual = Run(batched);

        Assert.Equal(expected.Count, actual.Count);
        for (var row = 0; row < expected.Count; row++)
        {
            Assert.Equal(expected[row].Length, actual[row].Length);
            var worst = expected[row].Zip(actual[row], (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-4f, $"row {row}: logits differ by {worst}");
            Assert.Equal(ArgMax(expected[row]), ArgMax(actual[row]));
        }
    }

    private GgmlStepBackend Create(bool batchDecodes)
    {
        Assert.True(GgmlLlamaConfig.TryRead(_models.BaseModelPath, out var config, out var reason), reason);
        return new GgmlStepBackend(config, new GgmlStepBackendOptions(Context, 8, 48, 2, 4, 8, BatchedDecodeAttention: batchDecodes));
    }

    /// <summary>Prompts, then a mixed step (prefill chunk first) and three decode-only steps; every row's logits.</summary>
    private List<float[]> Run(GgmlStepBackend backend)
    {
        var adapters = _models.AdapterPaths.Take(3).Select(backend.LoadAdapter).ToArray();
        IBackendAdapter? AdapterOf(int i) => i % 4 == 3 ? null : adapters[i % adapters.Length];

        // Longer earlier tenants leave stale cells beyond the new sequences' lengths.
        foreach (var slot in Slots)
        {
            Step(backend, new StepItem(slot, null, Tokens(40, slot), 0, false));
            backend.ClearSequence(slot);
        }

        for (var i = 0; i < Slots.Length; i++)
        {
            Step(backend, new StepItem(Slots[i], AdapterOf(i), Tokens(Lengths[i], 10 + i), 0, false));
        }

        var rows = new List<float[]>();
        var positions = Lengths.ToArray();
        for (var step = 0; step < 4; step++)
        {
            var items = new List<StepItem>();
            if (step == 0)
            {
                items.Add(new StepItem(0, adapters[1], Tokens(12, 99), 0, true));
            }

            for (var i = 0; i < Slots.Length; i++)
            {
                items.Add(new StepItem(Slots[i], AdapterOf(i), new[] { 20 + (7 * i) + step }, positions[i]++, true));
            }

            var logits = new float[items.Count][];
            backend.Execute(items, (index, values) => logits[index] = values.ToArray());
            rows.AddRange(logits);
        }

        return rows;
    }

    private static int[] Tokens(int count, int seed) => Enumerable.Range(0, count).Select(i => 3 + ((seed * 31) + (i * 17)) % 90).ToArray();

    private static void Step(IStepBackend backend, params StepItem[] items) => backend.Execute(items, (_, _) => { });

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
