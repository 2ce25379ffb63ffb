using OpenLoRA.Engine.Backend;
using Xunit.Abstractions;

namespace OpenLoRA.Engine.Tests.Backend.Ggml.Quantized;

/// <summary>
/// <see cref="GgmlEquivalenceTests"/>' comparison, with the greedy check suited to quantized weights. ggml quantizes
/// each matmul's activations to 8-bit blocks (Q8_0 / Q8_K) before multiplying quantized weights, so a difference of
/// 1e-6 in a hidden state (another summation order in a LoRA product, a GEMM kernel instead of a GEMV one) can move
/// an activation to the neighbouring 8-bit level and grows to ~0.2–0.5 in the logits: llama.cpp against itself, the
/// same sequences batched instead of run alone, differs by as much (docs/GGML-BACKEND.md "Quantized weights"). That is
/// about the gap between the two best logits of a random model, so "greedy tokens equal wherever the margin exceeds
/// twice the tolerance" would cover too few positions to mean much; instead greedy tokens must also be equal at a
/// given share of all positions (llama.cpp against itself: 88 of 96 on the Q4_K_M bench model).
/// </summary>
internal static class QuantizedComparison
{
    private static readonly string[] Prompts =
    [
        "The quick brown fox",
        "Once upon a time in a land far away, there lived",
        "def main():",
        "Attribution matters because",
        "Grüße aus Köln — 日本語も",
        "1, 2, 3, 4,",
    ];

    public static void Compare(BackendComparison pair, IReadOnlyList<string?> adapterPaths, int generate, float tolerance, double minimumAgreement, ITestOutputHelper output)
    {
        var llamaAdapters = adapterPaths.Select(path => path is null ? null : pair.Llama.LoadAdapter(path)).ToList();
        var ggmlAdapters = adapterPaths.Select(path => path is null ? null : pair.Ggml.LoadAdapter(path)).ToList();
        var requests = new List<(IBackendAdapter? Adapter, int[] Prompt, BackendComparison.Run Reference)>();
        for (var s = 0; s < pair.Ggml.MaxSequences; s++)
        {
            var target = s % adapterPaths.Count;
            var prompt = pair.Model.Tokenize(Prompts[s % Prompts.Length], addBos: true, parseSpecial: false);
            requests.Add((ggmlAdapters[target], prompt, BackendComparison.RunAlone(pair.Llama, llamaAdapters[target], prompt, generate)));
        }

        Assert.True(requests.Select(r => string.Join(',', r.Reference.Tokens)).Distinct().Count() >= requests.Count / 2);

        var together = BackendComparison.RunTogether(pair.Ggml, requests);
        var worst = 0f;
        var sum = 0.0;
        var compared = 0;
        var agreed = 0;
        var beyondTies = 0;
        for (var s = 0; s < requests.Count; s++)
        {
            var reference = requests[s].Reference.Logits;
            Assert.Equal(reference.Count, together[s].Count);
            var name = Path.GetFileName(adapterPaths[s % adapterPaths.Count]) ?? "base";
            var differences = reference.Select((r, i) => BackendComparison.MaxAbsDifference(r, together[s][i])).ToList();
            output.WriteLine($"sequence {s} ({name}): largest difference {differences.Max()}, mean {differences.Average():F4}");
            for (var i = 0; i < reference.Count; i++)
            {
                Assert.True(differences[i] <= tolerance, $"sequence {s} ({name}), token {i}: logits differ by {differences[i]}");
                worst = MathF.Max(worst, differences[i]);
                sum += differences[i];
                compared++;
                var same = BackendComparison.ArgMax(reference[i]) == BackendComparison.ArgMax(together[s][i]);
                agreed += same ? 1 : 0;
                if (BackendComparison.Margin(reference[i]) > 2 * tolerance)
                {
                    beyondTies++;
                    Assert.True(same, $"sequence {s} ({name}), token {i}: greedy tokens differ beyond a near-tie");
                }
            }
        }

        output.WriteLine($"{requests.Count} sequences, {compared} logit vectors, largest difference {worst}, mean {sum / compared:F4}, greedy agreement {agreed}/{compared}, margins beyond twice the tolerance {beyondTies}");
        Assert.True(agreed >= minimumAgreement * compared, $"greedy tokens agree at only {agreed} of {compared} positions");
    }
}
