using OpenLoRA.Engine.Backend;
using OpenLoRA.Gguf;
using OpenLoRA.Gguf.TestModels;
using Xunit.Abstractions;

namespace OpenLoRA.Engine.Tests.Backend.Ggml;

/// <summary>
/// Adapters that are valid files but numerically unusual, on both backends of the tiny model: a negative alpha must
/// mean the same on both (scale alpha/r, sign included), and an adapter whose weights overflow the forward pass must
/// give non-finite logits on both, for its own sequence only.
/// </summary>
public sealed class AdapterNumericsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("openlora-numerics-").FullName;

    [Fact]
    public void NegativeAlphaAdapter_OnGgml_MatchesLlamaSharpLogitByLogit()
    {
        var models = TestModelGenerator.EnsureTinyModels(_root);
        var negative = NumericalTestAdapters.WriteTinyNegativeAlpha(Path.Combine(_root, "numeric"), "tiny-negative-alpha", 7);
        Assert.True(AdapterValidator.Validate(negative, BaseModelShapes.FromFile(models.BaseModelPath)).Alpha < 0);
        using var pair = new BackendComparison(models.BaseModelPath, 256, 8, 64, 8);

        new GgmlEquivalenceTests(output).Compare(pair, [null, negative], generate: 16, tolerance: 0.02f);
    }

    [Fact]
    public void OverflowAdapter_PassesTheValidatorButGivesNonFiniteLogitsOnBothBackends_AndOnlyForItsOwnSequence()
    {
        var models = TestModelGenerator.EnsureTinyModels(_root);
        var overflow = NumericalTestAdapters.WriteTinyOverflow(Path.Combine(_root, "numeric"), "tiny-overflow", 7);
        Assert.True(AdapterValidator.Validate(overflow, BaseModelShapes.FromFile(models.BaseModelPath)).IsValid);
        using var pair = new BackendComparison(models.BaseModelPath, 256, 8, 64, 8);
        var prompt = pair.Model.Tokenize("The quick brown fox", addBos: true, parseSpecial: false);

        foreach (IStepBackend backend in new IStepBackend[] { pair.Ggml, pair.Llama })
        {
            var alone = BackendComparison.RunAlone(backend, null, prompt, 1).Logits[0];
            var adapter = backend.LoadAdapter(overflow);
            var rows = new float[2][];
            backend.Execute(
                [new StepItem(0, adapter, prompt, 0, true), new StepItem(1, null, prompt, 0, true)],
                (index, logits) => rows[index] = logits.ToArray());
            backend.ClearSequence(0);
            backend.ClearSequence(1);
            backend.UnloadAdapter(adapter);

            Assert.True(rows[0].Any(value => !float.IsFinite(value)), $"{backend.GetType().Name}: the overflow adapter's logits are all finite");
            Assert.True(rows[1].All(float.IsFinite), $"{backend.GetType().Name}: the base sequence beside it got non-finite logits");
            Assert.True(BackendComparison.MaxAbsDifference(alone, rows[1]) <= 1e-3f, $"{backend.GetType().Name}: the base sequence changed beside the overflow adapter");
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
